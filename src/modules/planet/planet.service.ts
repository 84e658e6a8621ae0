import { Injectable } from '@nestjs/common';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import { AppException } from '../../common/errors/app.exception';
import { DomainEvents } from '../../common/events/domain-events';
import { toMessageResponse } from '../message/dto/message-response.dto';
import { Message } from '../message/message.entity';
import { Travel } from '../travel/travel.entity';
import { TravelVisibility } from '../travel/travel.enums';
import {
  MyPlanetListDto,
  PlanetListDto,
  PlanetMembershipResponseDto,
  PlanetResponseDto,
  toPlanetMembershipResponse,
  toPlanetResponse,
} from './dto/planet-response.dto';
import { Planet, PlanetAccess, PlanetRefusal } from './planet.entity';
import { MediaViews } from '../media/media-views';

/**
 * Planets and planet membership. Every planet route requires ACTIVE membership of the planet's
 * travel: 404 when the travel is PRIVATE to the caller (nothing is revealed), 403 when it is PUBLIC.
 */
@Injectable()
export class PlanetService {
  constructor(
    private readonly events: DomainEvents,
    private readonly mediaViews: MediaViews,
  ) {}

  /** The travel membership is checked once, under its row lock, inside createWithCreator. */
  async create(user: CurrentUserData, travelId: number, name: string): Promise<PlanetResponseDto> {
    const outcome = await Planet.createWithCreator(travelId, user.id, name);
    if (outcome.kind !== 'created') throw refusal(outcome, 'Travel');
    const { planet } = outcome;
    this.events.emit('planet.membership.changed', { planetId: planet.id, userId: user.id, active: true });
    return toPlanetResponse(planet, { memberCount: 1, isMember: true });
  }

  async listForTravel(user: CurrentUserData, travelId: number): Promise<PlanetListDto> {
    await this.requireTravelMember(travelId, user.id);
    const planets = await Planet.findForTravel(travelId, user.id);
    return { data: planets.map(({ planet, memberCount, isMember }) => toPlanetResponse(planet, { memberCount, isMember })) };
  }

  /** My ACTIVE planets with unread count and last message: two queries whatever the number of planets. */
  async listMine(user: CurrentUserData): Promise<MyPlanetListDto> {
    const mine = await Planet.findMine(user.id);
    const summaries = await Message.findPlanetSummaries(
      user.id,
      mine.map((p) => p.planet.id),
    );
    const data = mine.map(({ planet, travelTitle, role }, i) => {
      const summary = summaries[i];
      return {
        id: planet.id,
        travelId: planet.travelId,
        travelTitle,
        name: planet.name,
        createdAt: new Date(planet.createdAt).toISOString(),
        role,
        unreadCount: summary?.unreadCount ?? 0,
        lastMessage: summary?.lastMessage ? toMessageResponse(summary.lastMessage.message, summary.lastMessage.sender) : null,
      };
    });
    // Most recently active first (message ids grow with time); planets without messages last.
    const key = (d: (typeof data)[number]): bigint => (d.lastMessage ? BigInt(d.lastMessage.id) : 0n);
    data.sort((a, b) => (key(a) === key(b) ? b.id - a.id : key(b) > key(a) ? 1 : -1));
    // Each lastMessage shows its media's current state and signed URLs (one query for all of them).
    await this.mediaViews.decorateAttachments(data.flatMap((d) => (d.lastMessage ? [d.lastMessage] : [])));
    return { data };
  }

  /** The travel membership is checked once, under its row lock, inside Planet.join. */
  async join(user: CurrentUserData, planetId: number): Promise<PlanetMembershipResponseDto> {
    const outcome = await Planet.join(planetId, user.id);
    if (outcome.kind !== 'joined') throw refusal(outcome, 'Planet');
    const { membership, changed } = outcome;
    if (changed) this.events.emit('planet.membership.changed', { planetId, userId: user.id, active: true });
    return toPlanetMembershipResponse(membership);
  }

  async leave(user: CurrentUserData, planetId: number): Promise<void> {
    await this.requireAccess(planetId, user.id);
    const left = await Planet.leave(planetId, user.id);
    if (left === null) throw AppException.notFound('Planet');
    if (left) this.events.emit('planet.membership.changed', { planetId, userId: user.id, active: false });
  }

  private async requireTravelMember(travelId: number, userId: number): Promise<void> {
    const access = await Travel.findAccessible(travelId, userId);
    if (!access) throw AppException.notFound('Travel');
    if (!access.membership) throw AppException.forbidden('Only members of the travel may do this: join it first');
  }

  private async requireAccess(planetId: number, userId: number): Promise<PlanetAccess> {
    const access = await Planet.findAccess(planetId, userId);
    if (!access || (!access.isTravelMember && access.travelVisibility !== TravelVisibility.PUBLIC)) throw AppException.notFound('Planet');
    if (!access.isTravelMember) throw AppException.forbidden('Only members of the travel may do this: join it first');
    return access;
  }
}

/** A refused create or join as the HTTP answer: 404 reveals nothing about a PRIVATE travel. */
function refusal(outcome: PlanetRefusal, resource: 'Travel' | 'Planet'): AppException {
  switch (outcome.kind) {
    case 'not-found':
      return AppException.notFound(resource);
    case 'not-travel-member':
      return AppException.forbidden('Only members of the travel may do this: join it first');
    case 'banned':
      return AppException.forbidden('You were removed from this planet');
  }
}
