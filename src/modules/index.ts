import { Type } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { AuthModule } from './auth/auth.module';
import { MediaModule } from './media/media.module';
import { MessageModule } from './message/message.module';
import { PlanetModule } from './planet/planet.module';
import { TravelModule } from './travel/travel.module';
import { UserModule } from './user/user.module';

/** The feature modules, in one list the app module imports. */
export const FEATURE_MODULES: Type[] = [AuthModule, UserModule, TravelModule, PlanetModule, MessageModule, MediaModule, AdminModule];
