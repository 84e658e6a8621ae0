import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  OneToMany,
  OneToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { afterCommit, BaseActiveRecord } from '../../common/database/base-active-record';
import { invalidateCacheTags } from '../../infrastructure/cache/cache-registry';
import { AppException } from '../../common/errors/app.exception';
import { normalizeEmail } from '../../common/validation/validators';
import { Profile as ProfileEntity } from './profile.entity';
import { TravelUser } from '../travel/travel-user.entity';

@Entity('user')
@Index('UQ_user_email_lower', { synchronize: false })
export class User extends BaseActiveRecord {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Stored lower-cased; a unique index on lower(email) keeps it case-insensitive. */
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;

  @OneToOne('Profile', (profile: ProfileEntity) => profile.user, { eager: false })
  profile?: ProfileEntity;

  @OneToMany('TravelUser', (tu: TravelUser) => tu.user, { eager: false })
  travelUsers?: TravelUser[];

  /** The user with the password hash, for login only. */
  static findByEmailWithSecret(email: string): Promise<User | null> {
    return this.createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /** User and profile together: the pair is read together on almost every screen (seed Phase 4). */
  static findWithProfile<T extends User>(this: { new (): T } & typeof User, id: number): Promise<T | null> {
    return this.findOne({ where: { id }, relations: { profile: true } }) as Promise<T | null>;
  }

  /** User with active travel memberships and their travels, loaded explicitly (seed Phase 4). */
  static findWithTravels<T extends User>(this: { new (): T } & typeof User, id: number): Promise<T | null> {
    return this.createQueryBuilder('u')
      .leftJoinAndSelect('u.travelUsers', 'tu', TravelUser.liveSql('tu'))
      .leftJoinAndSelect('tu.travel', 't')
      .where('u.id = :id', { id })
      .orderBy('tu.joinedAt', 'DESC')
      .getOne() as Promise<T | null>;
  }

  /** Creates a user and their profile together; a taken email (any case) is a 409 on `email`. */
  static async register(input: { email: string; passwordHash: string; nickname: string }): Promise<User> {
    const email = normalizeEmail(input.email);
    try {
      return await this.transaction(async (manager) => {
        const user = await manager.save(manager.create(User, { email, passwordHash: input.passwordHash }));
        user.profile = await manager.save(manager.create(ProfileEntity, { userId: user.id, nickname: input.nickname }));
        return user;
      });
    } catch (err) {
      if ((err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw AppException.conflict('An account with this email already exists', 'email');
      }
      throw err;
    }
  }

  /** Whether the account exists and is not deleted. */
  static async isLive(id: number): Promise<boolean> {
    return this.exists({ where: { id } });
  }

  /**
   * Deletes the account (soft: messages keep their sender) and revokes every refresh token, in one
   * transaction. False when it was already gone.
   */
  static async deleteAccount(id: number): Promise<boolean> {
    return this.transaction(async (manager) => {
      const res = await manager.query<[unknown[], number]>(
        'UPDATE "user" SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id',
        [id],
      );
      if (res[0].length === 0) return false;
      // Every cached membership check of the account (PlanetUser.findActive / activePlanetIds).
      afterCommit(manager, () => invalidateCacheTags([`user:${id}`]));
      await manager.query('UPDATE refresh_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
      return true;
    });
  }

  /** User, profile and avatar media in one query (GET /users/me). */
  static findMe(id: number): Promise<User | null> {
    return this.createQueryBuilder('u')
      .leftJoinAndSelect('u.profile', 'p')
      .leftJoinAndSelect('p.avatarMedia', 'am')
      .where('u.id = :id', { id })
      .getOne();
  }
}
