import { Injectable } from '@nestjs/common';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import { AppException } from '../../common/errors/app.exception';
import { DomainEvents } from '../../common/events/domain-events';
import { CacheResult } from '../../infrastructure/cache/cache-result.decorator';
import { DistributedCacheService } from '../../infrastructure/cache/distributed-cache.service';
import type { CreateTravelDto } from './dto/create-travel.dto';
import type { ListTravelsDto } from './dto/list-travels.dto';
import {
  toTravelMembershipResponse,
  toTravelResponse,
  TravelListDto,
  TravelMembershipResponseDto,
  TravelPageDto,
  TravelResponseDto,
} from './dto/travel-response.dto';
import type { UpdateTravelDto } from './dto/update-travel.dto';
import { TravelUser } from './travel-user.entity';
import { POPULAR_TRAVELS_CACHE, Travel, TravelAccess, TravelRefusal, TravelSummary } from './travel.entity';

/** Cache namespace of the travel summaries GET /travels/:id answers with (shared by viewers; the viewer's role is the `membership` namespace's). */
export const TRAVEL_DETAILS_CACHE = 'travel:details';
/** Every change invalidates them at once; the TTL bounds changes made outside the app. */
export const TRAVEL_DETAILS_TTL_SECONDS = 60;
import { TravelRole, TravelVisibility } from './travel.enums';

/**
 * Travels and travel membership. Access: a PRIVATE travel is 404 to anyone who is not an ACTIVE
 * member (its existence is not revealed); a visible travel answers 403 where the caller lacks the role.
 */
@Injectable()
export class TravelService {
  constructor(
    private readonly events: DomainEvents,
    private readonly cache: DistributedCacheService,
  ) {}

  async create(user: CurrentUserData, dto: CreateTravelDto): Promise<TravelResponseDto> {
    const { travel, membership } = await Travel.createWithHost(user.id, dto);
    if (travel.visibility === TravelVisibility.PUBLIC) await this.popularChanged();
    return toTravelResponse(travel, membership.role);
  }

  async listMine(user: CurrentUserData, dto: ListTravelsDto): Promise<TravelPageDto> {
    const page = await Travel.findMine(user.id, { limit: dto.limit, cursor: dto.cursor });
    return {
      data: page.items.map(({ travel, role }) => toTravelResponse(travel, role)),
      nextCursor: page.nextCursor === null ? null : String(page.nextCursor),
      hasMore: page.nextCursor !== null,
    };
  }

  async popular(): Promise<TravelListDto> {
    const travels = await Travel.findPopularTravels();
    return { data: travels.map((t) => toTravelResponse(t)) };
  }

  async get(user: CurrentUserData, id: number): Promise<TravelResponseDto> {
    const details = await this.details(id, user.id);
    if (!details) throw AppException.notFound('Travel');
    return details;
  }

  /**
   * The travel as `userId` sees it (null: hidden), from two cache entries: the travel's summary,
   * shared by all viewers (`summary`), and the viewer's own membership (TravelUser.findActive,
   * per travel and viewer). A PRIVATE travel is answered only when the viewer's membership says
   * so, so nothing private reaches another user from the cache.
   */
  async details(id: number, userId: number): Promise<TravelResponseDto | null> {
    const summary = await this.summary(id);
    if (!summary) return null;
    const membership = await TravelUser.findActive(id, userId);
    if (!membership && summary.visibility !== TravelVisibility.PUBLIC) return null;
    return toTravelResponse(summary, membership?.role ?? null);
  }

  /**
   * The (not deleted) travel as plain data, cached; tag `travel:<id>`: every change of the travel
   * or its memberships (Travel.lockLive). "Not found" is not cached (the id may be created next).
   */
  @CacheResult<[number]>(TRAVEL_DETAILS_TTL_SECONDS, {
    namespace: TRAVEL_DETAILS_CACHE,
    tags: (id) => [`travel:${id}`],
    store: (summary) => summary !== null,
  })
  async summary(id: number): Promise<TravelSummary | null> {
    return (await Travel.findOneBy({ id }))?.toSummary() ?? null;
  }

  async update(user: CurrentUserData, id: number, dto: UpdateTravelDto): Promise<TravelResponseDto> {
    await this.requireHost(id, user.id);
    const travel = await Travel.updateDetails(id, dto);
    if (!travel) throw AppException.notFound('Travel');
    await this.popularChanged();
    return toTravelResponse(travel, TravelRole.HOST);
  }

  async remove(user: CurrentUserData, id: number): Promise<void> {
    await this.requireHost(id, user.id);
    const ended = await Travel.softDeleteWithPlanets(id);
    if (!ended) throw AppException.notFound('Travel');
    await this.popularChanged();
    for (const { planetId, userId } of ended) this.events.emit('planet.membership.changed', { planetId, userId, active: false });
  }

  /** Visibility (404 for a PRIVATE travel) and bans are checked once, under the travel's row lock, in Travel.join. */
  async join(user: CurrentUserData, id: number): Promise<TravelMembershipResponseDto> {
    const outcome = await Travel.join(id, user.id);
    if (outcome.kind !== 'member') throw refusal(outcome);
    if (outcome.changed) await this.popularChanged();
    return toTravelMembershipResponse(outcome.membership, outcome.participantCount);
  }

  async addMember(user: CurrentUserData, id: number, userId: number): Promise<TravelMembershipResponseDto> {
    await this.requireHost(id, user.id);
    const outcome = await Travel.addMember(id, userId);
    if (outcome.kind !== 'member') throw refusal(outcome);
    await this.popularChanged();
    return toTravelMembershipResponse(outcome.membership, outcome.participantCount);
  }

  async setMemberRole(user: CurrentUserData, id: number, userId: number, role: TravelRole): Promise<TravelMembershipResponseDto> {
    await this.requireHost(id, user.id);
    const outcome = await Travel.setMemberRole(id, userId, role);
    if (outcome.kind !== 'member') throw refusal(outcome);
    return toTravelMembershipResponse(outcome.membership, outcome.participantCount);
  }

  /** Visibility (404 for a PRIVATE travel) is checked once, under the travel's row lock, in Travel.leave. */
  async leave(user: CurrentUserData, id: number): Promise<void> {
    const outcome = await Travel.leave(id, user.id);
    if (outcome.kind !== 'left') throw refusal(outcome);
    if (!outcome.left) return;
    await this.popularChanged();
    for (const planetId of outcome.endedPlanetIds)
      this.events.emit('planet.membership.changed', { planetId, userId: user.id, active: false });
  }

  /**
   * Any change of membership, title, visibility or deletion may change the cached popular list:
   * dropped on every node before the caller is answered. (The travel's summary and cached
   * memberships are dropped by Travel.lockLive, the planet memberships a change ended by
   * PlanetUser.endInTravel, both after commit.)
   */
  private popularChanged(): Promise<void> {
    return this.cache.invalidate(POPULAR_TRAVELS_CACHE);
  }

  /** 404 unless the travel exists and the user may see it. */
  private async requireVisible(id: number, userId: number): Promise<TravelAccess> {
    const access = await Travel.findAccessible(id, userId);
    if (!access) throw AppException.notFound('Travel');
    return access;
  }

  /** 404 as requireVisible, then 403 unless the user is an ACTIVE HOST. */
  private async requireHost(id: number, userId: number): Promise<TravelAccess> {
    const access = await this.requireVisible(id, userId);
    if (access.membership?.role !== TravelRole.HOST) throw AppException.forbidden('Only a host of this travel may do this');
    return access;
  }
}

/** A refused membership change as the HTTP answer: 404 reveals nothing about a PRIVATE travel. */
function refusal(outcome: TravelRefusal): AppException {
  switch (outcome.kind) {
    case 'not-found':
      return AppException.notFound('Travel');
    case 'banned':
      return AppException.forbidden('You were removed from this travel');
    case 'unknown-user':
      return AppException.notFound('User');
    case 'already-member':
      return AppException.conflict('is already a member of this travel', 'userId');
    case 'not-member':
      return AppException.notFound('Member');
    case 'last-host-leaving':
      return AppException.conflict('The last host cannot leave while other members remain: make another member host, or delete the travel');
    case 'last-host-demoted':
      return AppException.conflict('A travel needs a host: make another member host first', 'role');
  }
}
