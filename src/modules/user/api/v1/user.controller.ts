import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { ProfileDto, UserMeDto } from '../../dto/user-response.dto';
import { UpdateProfileDto } from '../../dto/update-profile.dto';
import { UserService } from '../../user.service';

@ApiTags('users')
@ApiBearerAuth()
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

  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete my account',
    description:
      'Soft delete: messages stay with their sender. Every token of the account stops working at once on every node, and its sockets are closed after `auth:revoked`.',
  })
  @ApiNoContentResponse({ description: 'Deleted' })
  deleteAccount(@CurrentUser() user: CurrentUserData): Promise<void> {
    return this.users.deleteAccount(user.id);
  }
}
