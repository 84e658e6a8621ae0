import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { CreatePlanetDto } from '../../dto/create-planet.dto';
import { MyPlanetListDto, PlanetListDto, PlanetMembershipResponseDto, PlanetResponseDto } from '../../dto/planet-response.dto';
import { PlanetService } from '../../planet.service';

const NOT_MEMBER = 'The travel is PUBLIC but you are not an ACTIVE member of it';
const HIDDEN = 'It does not exist, is deleted, or its travel is PRIVATE and you are not a member';

@ApiTags('planets')
@ApiBearerAuth()
@ApiBadRequestResponse({ description: 'Bad input; `details` names the field' })
@Controller()
export class PlanetController {
  constructor(private readonly planets: PlanetService) {}

  @Post('travels/:travelId/planets')
  @ApiOperation({ summary: 'Create a planet (travel members); the creator is its ACTIVE ADMIN' })
  @ApiCreatedResponse({ type: PlanetResponseDto })
  @ApiForbiddenResponse({ description: NOT_MEMBER })
  @ApiNotFoundResponse({ description: HIDDEN })
  create(
    @CurrentUser() user: CurrentUserData,
    @Param('travelId', IdPipe) travelId: number,
    @Body() dto: CreatePlanetDto,
  ): Promise<PlanetResponseDto> {
    return this.planets.create(user, travelId, dto.name);
  }

  @Get('travels/:travelId/planets')
  @ApiOperation({ summary: "The travel's planets (travel members), oldest first, with memberCount and isMember" })
  @ApiOkResponse({ type: PlanetListDto })
  @ApiForbiddenResponse({ description: NOT_MEMBER })
  @ApiNotFoundResponse({ description: HIDDEN })
  listForTravel(@CurrentUser() user: CurrentUserData, @Param('travelId', IdPipe) travelId: number): Promise<PlanetListDto> {
    return this.planets.listForTravel(user, travelId);
  }

  @Get('planets')
  @ApiOperation({ summary: 'My ACTIVE planets, each with unreadCount and lastMessage, most recently active first' })
  @ApiOkResponse({ type: MyPlanetListDto })
  listMine(@CurrentUser() user: CurrentUserData): Promise<MyPlanetListDto> {
    return this.planets.listMine(user);
  }

  @Post('planets/:id/join')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Join a planet (travel members); repeating it is harmless' })
  @ApiOkResponse({ type: PlanetMembershipResponseDto })
  @ApiForbiddenResponse({ description: `${NOT_MEMBER}; or you were removed from the planet` })
  @ApiNotFoundResponse({ description: HIDDEN })
  join(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<PlanetMembershipResponseDto> {
    return this.planets.join(user, id);
  }

  @Post('planets/:id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Leave a planet (travel members); 204 also when you were not in it' })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: NOT_MEMBER })
  @ApiNotFoundResponse({ description: HIDDEN })
  leave(@CurrentUser() user: CurrentUserData, @Param('id', IdPipe) id: number): Promise<void> {
    return this.planets.leave(user, id);
  }
}
