/** A user as the factories accept it: a User (or anything with its id), or a createUser() fixture. */
export type UserRef = { id: number } | { user: { id: number } };

export const idOf = (u: UserRef): number => ('user' in u ? u.user.id : u.id);
