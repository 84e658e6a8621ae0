import { Logger } from '@nestjs/common';
import { planetRoom } from '../../../infrastructure/socket/socket-rooms';
import { PlanetUser } from '../../planet/planet-user.entity';
import type { ChatSocket } from './socket-events';

const PLANET_ROOM_PREFIX = planetRoom(0).replace(/0$/, '');
/** Passes over sockets whose rooms moved while their memberships were being read. */
const MAX_PASSES = 3;

/**
 * Brings sockets' `planet:*` rooms in line with their users' ACTIVE memberships in PostgreSQL (join
 * the missing, leave the extra). Room moves normally arrive as socketsJoin/socketsLeave through the
 * adapter; this repairs the ones that could not: a move applied while the socket was still in its
 * handshake, or a broadcast lost while Redis was down. A socket whose planet rooms change while its
 * memberships are read (a live move raced the read) is read again, so a stale read never undoes it.
 */
export class PlanetRoomSync {
  private readonly logger = new Logger('PlanetRoomSync');

  async reconcile(sockets: ChatSocket[]): Promise<void> {
    let pending = sockets.filter((s) => s.connected && s.data.user);
    for (let pass = 0; pass < MAX_PASSES && pending.length > 0; pass++) {
      const before = new Map(pending.map((s) => [s, roomKey(s)]));
      const active = await PlanetUser.activePlanetIdsOf([...new Set(pending.map((s) => s.data.user.id))]);
      const raced: ChatSocket[] = [];
      for (const socket of pending) {
        if (!socket.connected) continue;
        if (roomKey(socket) !== before.get(socket)) {
          raced.push(socket);
          continue;
        }
        const wanted = new Set((active.get(socket.data.user.id) ?? []).map(planetRoom));
        const extra = planetRooms(socket).filter((room) => !wanted.has(room));
        const missing = [...wanted].filter((room) => !socket.rooms.has(room));
        for (const room of extra) await socket.leave(room);
        if (missing.length) await socket.join(missing);
      }
      pending = raced;
    }
    if (pending.length) this.logger.warn(`planet rooms of ${pending.length} socket(s) kept changing; left to live updates`);
  }
}

function planetRooms(socket: ChatSocket): string[] {
  return [...socket.rooms].filter((room) => room.startsWith(PLANET_ROOM_PREFIX));
}

function roomKey(socket: ChatSocket): string {
  return planetRooms(socket).sort().join(',');
}
