import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiCreatedResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { AddMemberDto } from '../../dto/add-member.dto';
import { CreateTravelDto } from '../../dto/create-travel.dto';
import { ListTravelsDto } from '../../dto/list-travels.dto';
import { SetMemberRoleDto } from '../../dto/set-member-role.dto';
import { TravelListDto, TravelMembershipResponseDto, TravelPageDto, TravelResponseDto } from '../../dto/travel-response.dto';
import { UpdateTravelDto } from '../../dto/update-travel.dto';
import { TravelService } from '../../travel.service';

const HIDDEN = 'The travel does not exist, is deleted, or is PRIVATE and you are not a member';

@ApiTags('travels')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'Bad input; `details` names the field' })
@Controller('travels')
export class TravelController {
  constructor(private readonly travels: TravelService) {}

  @Post()
  @ApiOperation({ summary: 'Create a travel; the caller becomes its HOST (participantCount 1)' })
  @ApiCreatedResponse({ type: TravelResponseDto })
  create(@CurrentUser() user: CurrentUserData, @Body() dto: CreateTravelDto): Promise<TravelResponseDto> {
    return this.travels.create(user, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Travels I am an ACTIVE member of, newest first (keyset: pass nextCursor as cursor)' })
  @ApiOkResponse({ type: TravelPageDto })
  listMine(@CurrentUser() user: CurrentUserData, @Query() dto: ListTravelsDto): Promise<TravelPageDto> {
    return this.travels.listMine(user, dto);
  }

  @Get('popular')
  @ApiOperation({ summary: 'Top 10 PUBLIC travels by participantCount' })
  @ApiOkResponse({ type: TravelListDto })
  popular(): Promise<TravelListDto> {
    return this.travels.popular();
  }

  @Get(':id')
  @ApiOperation({ summary: 'A travel: to its members, or to anyone when PUBLIC' })
  @ApiOkResponse({ type: TravelResponseDto })
  @ApiNotFoundResponse({ description: HIDDEN })
  get(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<TravelResponseDto> {
    return this.travels.get(user, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a travel (hosts only); null clears description and dates' })
  @ApiOkResponse({ type: TravelResponseDto })
  @ApiForbiddenResponse({ description: 'You can see the travel but are not its host' })
  @ApiNotFoundResponse({ description: HIDDEN })
  update(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number, @Body() dto: UpdateTravelDto): Promise<TravelResponseDto> {
    return this.travels.update(user, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Soft-delete a travel and its planets (hosts only)' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'You can see the travel but are not its host' })
  @ApiNotFoundResponse({ description: HIDDEN })
  remove(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<void> {
    return this.travels.remove(user, id);
  }

  @Post(':id/join')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Join a PUBLIC travel; repeating it is harmless; a member who left is reactivated' })
  @ApiOkResponse({ type: TravelMembershipResponseDto })
  @ApiForbiddenResponse({ description: 'You were removed (BANNED) from this travel' })
  @ApiNotFoundResponse({ description: HIDDEN })
  join(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<TravelMembershipResponseDto> {
    return this.travels.join(user, id);
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'A host adds a user as MEMBER (the way into PRIVATE travels)' })
  @ApiCreatedResponse({ type: TravelMembershipResponseDto })
  @ApiForbiddenResponse({ description: 'You can see the travel but are not its host' })
  @ApiNotFoundResponse({ description: `${HIDDEN}; or the user does not exist` })
  @ApiConflictResponse({ description: 'The user is already an ACTIVE member' })
  addMember(
    @CurrentUser() user: CurrentUserData,
    @Param('id', IdPipe) id: number,
    @Body() dto: AddMemberDto,
  ): Promise<TravelMembershipResponseDto> {
    return this.travels.addMember(user, id, dto.userId);
  }

  @Patch(':id/members/:userId')
  @ApiOperation({ summary: 'A host makes a member HOST or MEMBER (hand the travel over before leaving)' })
  @ApiOkResponse({ type: TravelMembershipResponseDto })
  @ApiForbiddenResponse({ description: 'You can see the travel but are not its host' })
  @ApiNotFoundResponse({ description: `${HIDDEN}; or the user is not an ACTIVE member` })
  @ApiConflictResponse({ description: 'The last host cannot step down' })
  setMemberRole(
    @CurrentUser() user: CurrentUserData,
    @Param('id', IdPipe) id: number,
    @Param('userId', IdPipe) userId: number,
    @Body() dto: SetMemberRoleDto,
  ): Promise<TravelMembershipResponseDto> {
    return this.travels.setMemberRole(user, id, userId, dto.role);
  }

  @Post(':id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Leave a travel; your planet memberships in it end too',
    description:
      'Also 204 when you are not a member of a visible travel. The last HOST cannot leave while other members remain (409): ' +
      'make someone else host first, or delete the travel. When the last member leaves, the travel is deleted.',
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'You are the last host and other members remain' })
  @ApiNotFoundResponse({ description: HIDDEN })
  leave(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<void> {
    return this.travels.leave(user, id);
  }
}
