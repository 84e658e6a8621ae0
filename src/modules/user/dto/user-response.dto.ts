import { ApiProperty } from '@nestjs/swagger';
import type { Profile } from '../profile.entity';
import type { User } from '../user.entity';

export class ProfileDto {
  @ApiProperty({ example: '민지' }) nickname!: string;
  @ApiProperty({ nullable: true, type: String }) avatarUrl!: string | null;
  @ApiProperty({ nullable: true, type: String }) bio!: string | null;
  @ApiProperty({ nullable: true, type: Number }) avatarMediaId!: number | null;
  @ApiProperty({ example: 'ko' }) locale!: string;
}

export class UserMeDto {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'minji@connecto.dev' }) email!: string;
  @ApiProperty({ type: ProfileDto }) profile!: ProfileDto;
}

/** `avatarUrl`: a signed URL of the avatar's thumbnail (MediaViews), else a public provider URL when the media has one. Variants hold storage keys, never URLs. */
export function toProfileDto(profile: Profile | undefined, avatarUrl?: string | null): ProfileDto {
  const media = profile?.avatarMedia;
  return {
    nickname: profile?.nickname ?? '',
    avatarUrl: avatarUrl ?? media?.thumbnailUrl ?? null,
    bio: profile?.bio ?? null,
    avatarMediaId: profile?.avatarMediaId ?? null,
    locale: profile?.locale ?? 'ko',
  };
}

export function toUserMe(user: User, avatarUrl?: string | null): UserMeDto {
  return { id: user.id, email: user.email, profile: toProfileDto(user.profile, avatarUrl) };
}
