import { Body, Controller, Get, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { AuthGuard } from '../../../../guards/auth.guard';
import { ProfileDto, UserMeDto } from '../../dto/user-response.dto';
import { UpdateProfileDto } from '../../dto/update-profile.dto';
import { UserService } from '../../user.service';

@ApiTags('users')
@ApiBearerAuth()
@UseGuards(AuthGuard)
@Controller('users/me')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Get()
  @ApiOperation({ summary: 'The caller: id, email and profile' })
  @ApiOkResponse({ type: UserMeDto })
  me(@CurrentUser() user: CurrentUserData): Promise<UserMeDto> {
    return this.users.me(user.id);
  }

  @Patch('profile')
  @ApiOperation({ summary: "Edit the caller's profile (nickname, bio, avatar); null clears bio and avatar" })
  @ApiOkResponse({ type: ProfileDto })
  updateProfile(@CurrentUser() user: CurrentUserData, @Body() dto: UpdateProfileDto): Promise<ProfileDto> {
    return this.users.updateProfile(user.id, dto);
  }
}
