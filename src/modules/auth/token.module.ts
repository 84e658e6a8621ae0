import { Global, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtModule } from '@nestjs/jwt';
import { EnvironmentVariables } from '../../config/env';
import { AuthGuard } from '../../guards/auth.guard';
import { AccountStatusService } from './account-status.service';
import { TokenService } from './token.service';

/** Token signing/verification, account revocation and the AuthGuard, available everywhere. */
@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [EnvironmentVariables],
      useFactory: (env: EnvironmentVariables) => ({
        // A KeyObject, not the string: jsonwebtoken otherwise tries createPublicKey() on the
        // string at every verify (333 µs vs 7 µs), the largest cost of a socket handshake.
        secret: createSecretKey(Buffer.from(env.JWT_ACCESS_SECRET, 'utf8')),
        signOptions: { expiresIn: env.JWT_ACCESS_TTL_SECONDS, algorithm: 'HS256' },
      }),
    }),
  ],
  providers: [TokenService, AccountStatusService, AuthGuard],
  exports: [TokenService, AccountStatusService, AuthGuard],
})
export class TokenModule {}
