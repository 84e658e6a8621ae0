import { Injectable } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { AppException } from '../../common/errors/app.exception';
import { EnvironmentVariables } from '../../config/env';
import { toUserMe } from '../user/dto/user-response.dto';
import { User } from '../user/user.entity';
import { AuthResponseDto, LoginDto, RegisterDto, TokenPairDto } from './dto/auth.dto';
import { RefreshToken } from './refresh-token.entity';
import { TokenService } from './token.service';

const INVALID_LOGIN = 'Invalid email or password';

@Injectable()
export class AuthService {
  /** Compared against when the email is unknown, so both failures take the same time. */
  private readonly dummyHash: string;

  constructor(
    private readonly env: EnvironmentVariables,
    private readonly tokens: TokenService,
  ) {
    this.dummyHash = bcrypt.hashSync('not-a-real-password', env.BCRYPT_ROUNDS);
  }

  async register(dto: RegisterDto): Promise<AuthResponseDto> {
    const passwordHash = await bcrypt.hash(dto.password, this.env.BCRYPT_ROUNDS);
    const user = await User.register({ email: dto.email, passwordHash, nickname: dto.nickname });
    return { ...(await this.issuePair(user)), user: toUserMe(user) };
  }

  /** The same 401 for an unknown email and a wrong password. */
  async login(dto: LoginDto): Promise<AuthResponseDto> {
    const user = await User.findByEmailWithSecret(dto.email);
    const ok = await bcrypt.compare(dto.password, user?.passwordHash ?? this.dummyHash);
    if (!user || !ok) throw AppException.unauthorized(INVALID_LOGIN);
    const me = (await User.findMe(user.id)) ?? user;
    return { ...(await this.issuePair(me)), user: toUserMe(me) };
  }

  /**
   * Rotates: the presented token is spent; a repeat within REFRESH_REUSE_GRACE_SECONDS gets the same
   * pair, and a later replay of a spent token revokes its whole family.
   */
  async refresh(refreshToken: string): Promise<TokenPairDto> {
    const rotated = await RefreshToken.rotate(refreshToken, {
      ...this.refreshOpts(),
      graceSeconds: this.env.REFRESH_REUSE_GRACE_SECONDS,
      accessTokenFor: async (userId) => {
        const user = await User.findOne({ where: { id: userId } });
        if (!user) throw AppException.unauthorized('Invalid or expired refresh token');
        return this.tokens.signAccess(user);
      },
    });
    if (!rotated) throw AppException.unauthorized('Invalid or expired refresh token');
    return { accessToken: rotated.accessToken, refreshToken: rotated.refreshToken };
  }

  async logout(refreshToken: string): Promise<void> {
    await RefreshToken.revokePresented(refreshToken, this.env.REFRESH_TOKEN_PEPPER);
  }

  private refreshOpts() {
    return { pepper: this.env.REFRESH_TOKEN_PEPPER, ttlSeconds: this.env.REFRESH_TOKEN_TTL_SECONDS };
  }

  private async issuePair(user: User): Promise<TokenPairDto> {
    return {
      accessToken: this.tokens.signAccess(user),
      refreshToken: await RefreshToken.issue(user.id, this.refreshOpts()),
    };
  }
}
