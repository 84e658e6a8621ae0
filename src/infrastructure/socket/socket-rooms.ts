/** Room names shared by every node: a user's own room (all their sockets) and a planet's room. */
export const userRoom = (userId: number): string => `user:${userId}`;
export const planetRoom = (planetId: number): string => `planet:${planetId}`;
