import 'reflect-metadata';
import { createDataSource } from './src/config/database.config';
import { validateEnv } from './src/config/env';
import { loadDotenv } from './src/config/load-dotenv';

loadDotenv();

/** The DataSource of the TypeORM CLI: `yarn typeorm migration:run` and friends. Same options as the app's. */
export default createDataSource(validateEnv());
