import { Injectable } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { AccountStatusService } from '../auth/account-status.service';
import { MediaViews } from '../media/media-views';
import { ProfileDto, toProfileDto, toUserMe, UserMeDto } from './dto/user-response.dto';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { Profile } from './profile.entity';
import { User } from './user.entity';

@Injectable()
export class UserService {
  constructor(
    private readonly accounts: AccountStatusService,
    private readonly media: MediaViews,
  ) {}

  async me(userId: number): Promise<UserMeDto> {
    const user = await User.findMe(userId);
    if (!user) throw AppException.unauthorized('The account of this token no longer exists');
    return toUserMe(user, await this.avatarUrl(user));
  }

  /** A short-lived signed URL of the avatar's thumbnail. */
  private async avatarUrl(user: User): Promise<string | null> {
    const media = user.profile?.avatarMedia;
    return media ? ((await this.media.urlsOf(media)).thumbnail ?? null) : null;
  }

  /** Deletes the caller's account; its tokens stop working on every node before this returns. */
  async deleteAccount(userId: number): Promise<void> {
    await User.deleteAccount(userId);
    await this.accounts.revoke(userId);
  }

  async updateProfile(userId: number, dto: UpdateProfileDto): Promise<ProfileDto> {
    await Profile.updateFor(userId, dto);
    const user = await User.findMe(userId);
    if (!user) throw AppException.unauthorized('The account of this token no longer exists');
    return toProfileDto(user.profile, await this.avatarUrl(user));
  }
}
