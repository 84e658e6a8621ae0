import { randomBytes } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import bcrypt from 'bcryptjs';
import { TokenService } from '../../src/modules/auth/token.service';
import { EnvironmentVariables } from '../../src/config/env';
import { Profile } from '../../src/modules/user/profile.entity';
import { User } from '../../src/modules/user/user.entity';

export const FACTORY_PASSWORD = 'correct horse battery';
let cachedHash: string | undefined;

export interface UserFixture {
  user: User;
  profile: Profile;
  password: string;
  /** A valid access token for this user, signed with the env's secret. */
  token: string;
  auth: { Authorization: string };
}

/** Inserts a user with a profile straight through the entities (no HTTP), with a ready access token. */
export async function createUser(env: EnvironmentVariables, overrides: { email?: string; nickname?: string } = {}): Promise<UserFixture> {
  cachedHash ??= await bcrypt.hash(FACTORY_PASSWORD, 4);
  const tag = randomBytes(4).toString('hex');
  const user = await User.create({ email: overrides.email ?? `user-${tag}@example.com`, passwordHash: cachedHash }).save();
  const profile = await Profile.create({ userId: user.id, nickname: overrides.nickname ?? `여행자-${tag}` }).save();
  const token = accessTokenFor(env, user);
  return { user, profile, password: FACTORY_PASSWORD, token, auth: { Authorization: `Bearer ${token}` } };
}

export function accessTokenFor(env: EnvironmentVariables, user: { id: number; email: string }): string {
  const jwt = new JwtService({ secret: env.JWT_ACCESS_SECRET, signOptions: { expiresIn: env.JWT_ACCESS_TTL_SECONDS, algorithm: 'HS256' } });
  return new TokenService(jwt).signAccess({ id: user.id, email: user.email });
}
