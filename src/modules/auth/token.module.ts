import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { EnvironmentVariables } from '../../config/env';
import { AuthGuard } from '../../guards/auth.guard';
import { TokenService } from './token.service';

/** Token signing/verification and the AuthGuard, available everywhere. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [EnvironmentVariables],
      useFactory: (env: EnvironmentVariables) => ({
        secret: env.JWT_ACCESS_SECRET,
        signOptions: { expiresIn: env.JWT_ACCESS_TTL_SECONDS, algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [TokenService, AuthGuard],
  exports: [TokenService, AuthGuard],
})
export class TokenModule {}
