import { Type } from '@nestjs/common';

/** The feature modules, in one list the app module imports. */
export const FEATURE_MODULES: Type[] = [];
