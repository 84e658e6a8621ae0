import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOkResponse({ type: UserMeDto })
  me(@CurrentUser() user: CurrentUserData): Promise<UserMeDto> {
    return this.users.me(user.id);
  }

  @Patch('profile')
  @ApiOkResponse({ type: ProfileDto })
  updateProfile(@CurrentUser() user: CurrentUserData, @Body() dto: UpdateProfileDto): Promise<ProfileDto> {
    return this.users.updateProfile(user.id, dto);
  }
}
