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
import { POPULAR_TRAVELS_CACHE, Travel, TravelAccess } from './travel.entity';

/** Cache namespace of GET /travels/:id answers, keyed by travel and viewer. */
export const TRAVEL_DETAILS_CACHE = 'travel:details';
/** Edits, visibility changes and deletion invalidate them at once, a membership change the member's own; other viewers' participantCount may lag by this TTL. */
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
    if (travel.visibility === TravelVisibility.PUBLIC) await this.changed(travel.id, { popular: true });
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
   * The travel as `userId` sees it (null: hidden), cached per travel and viewer, so a PRIVATE
   * travel is only ever served to the members it was loaded for. Tags `travel:<id>` and
   * `travel-member:<id>:<viewer>` (see `changed`).
   */
  @CacheResult<[number, number]>(TRAVEL_DETAILS_TTL_SECONDS, { namespace: TRAVEL_DETAILS_CACHE, tags: (id, userId) => [`travel:${id}`, `travel-member:${id}:${userId}`] })
  async details(id: number, userId: number): Promise<TravelResponseDto | null> {
    const access = await Travel.findAccessible(id, userId);
    return access ? toTravelResponse(access.travel, access.membership?.role ?? null) : null;
  }

  async update(user: CurrentUserData, id: number, dto: UpdateTravelDto): Promise<TravelResponseDto> {
    await this.requireHost(id, user.id);
    const travel = await Travel.updateDetails(id, dto);
    await this.changed(id, { popular: true, details: true });
    return toTravelResponse(travel, TravelRole.HOST);
  }

  async remove(user: CurrentUserData, id: number): Promise<void> {
    await this.requireHost(id, user.id);
    const ended = await Travel.softDeleteWithPlanets(id);
    await this.changed(id, { popular: true, details: true });
    for (const { planetId, userId } of ended) this.events.emit('planet.membership.changed', { planetId, userId, active: false });
  }

  /** Visibility (404 for a PRIVATE travel) and bans are checked once, under the travel's row lock, in Travel.join. */
  async join(user: CurrentUserData, id: number): Promise<TravelMembershipResponseDto> {
    const { membership, participantCount } = await Travel.join(id, user.id);
    await this.changed(id, { popular: true, memberId: user.id });
    return toTravelMembershipResponse(membership, participantCount);
  }

  async addMember(user: CurrentUserData, id: number, userId: number): Promise<TravelMembershipResponseDto> {
    await this.requireHost(id, user.id);
    const { membership, participantCount } = await Travel.addMember(id, userId);
    await this.changed(id, { popular: true, memberId: userId });
    return toTravelMembershipResponse(membership, participantCount);
  }

  async setMemberRole(user: CurrentUserData, id: number, userId: number, role: TravelRole): Promise<TravelMembershipResponseDto> {
    await this.requireHost(id, user.id);
    const { membership, participantCount } = await Travel.setMemberRole(id, userId, role);
    await this.changed(id, { memberId: userId });
    return toTravelMembershipResponse(membership, participantCount);
  }

  async leave(user: CurrentUserData, id: number): Promise<void> {
    await this.requireVisible(id, user.id);
    const { endedPlanetIds, travelDeleted } = await Travel.leave(id, user.id);
    await this.changed(id, { popular: true, memberId: user.id, details: travelDeleted });
    for (const planetId of endedPlanetIds) this.events.emit('planet.membership.changed', { planetId, userId: user.id, active: false });
  }

  /**
   * A change of the travel, once committed, on every node before the caller is answered: any
   * change of membership, title, visibility or deletion drops the popular list (`popular`); an
   * edit, a visibility change or a deletion drops every viewer's details (`details`); a membership
   * change drops that member's own details (`memberId`: their role and access). Other viewers'
   * participantCount may lag by up to TRAVEL_DETAILS_TTL_SECONDS. Planet memberships the change
   * ended were invalidated by PlanetUser.endInTravel itself.
   */
  private changed(id: number, what: { popular?: boolean; details?: boolean; memberId?: number }): Promise<void> {
    const tags: string[] = [];
    if (what.popular) tags.push(`ns:${POPULAR_TRAVELS_CACHE}`);
    if (what.details) tags.push(`travel:${id}`);
    if (what.memberId !== undefined) tags.push(`travel-member:${id}:${what.memberId}`);
    return this.cache.invalidateTags(tags);
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
