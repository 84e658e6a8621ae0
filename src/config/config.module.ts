import { DynamicModule, Global, Module } from '@nestjs/common';
import { EnvironmentVariables } from './env';

/** Makes the validated environment injectable by its class: `constructor(private env: EnvironmentVariables)`. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: EnvironmentVariables, useValue: env }], exports: [EnvironmentVariables] };
  }
}
