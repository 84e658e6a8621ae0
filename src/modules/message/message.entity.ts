import {
  BeforeInsert,
  BeforeUpdate,
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { BaseActiveRecord } from '../../common/database/base-active-record';
import type { Planet } from '../planet/planet.entity';
import type { User } from '../user/user.entity';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import type { SearchDto } from './dto/search.dto';
import { MessageAttachment, MessageType } from './message.enums';
import { searchableTextOf } from './searchable-text';
import { searchMessages, SearchResult } from './search/message-search';
import type { EntityManager } from 'typeorm';
import * as counts from './queries/message-counts';
import { ChangePage, findChanges } from './queries/message-changes';
import { editMessageContent, insertForMember, InsertOutcome, NewMessage, readTarget, softDeleteMessage } from './queries/message-write';
import type { MessageRecord, SenderRef } from './queries/message-row';

@Entity('message')
@Index('IDX_message_planet_id', ['planetId', 'id'])
@Index('IDX_message_planet_change_seq', ['planetId', 'changeSeq'])
@Index('IDX_message_reply_to', { synchronize: false })
@Index('UQ_message_sender_client_id', { synchronize: false })
@Index('IDX_message_search', { synchronize: false })
@Index('IDX_message_attachments_media', { synchronize: false })
export class Message extends BaseActiveRecord {
  /** bigint, as a string in JS and JSON. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'int' })
  planetId!: number;

  @ManyToOne('Planet', { eager: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'planet_id' })
  planet?: Planet;

  /** null for SYSTEM messages. */
  @Column({ type: 'int', nullable: true })
  senderId!: number | null;

  @ManyToOne('User', { eager: false, onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'sender_id' })
  sender?: User | null;

  @Column({ type: 'enum', enum: MessageType, enumName: 'message_type', default: MessageType.TEXT })
  type!: MessageType;

  @Column({ type: 'text', nullable: true })
  content!: string | null;

  /** Normalised text that search reads: content plus attachment file names (see generateSearchableText). */
  @Column({ type: 'text', default: '' })
  searchableText!: string;

  /** Search lexemes of searchableText, written only by the database trigger (migration AddMessageSearchableTextGinIndex). */
  @Column({ type: 'tsvector', nullable: true, select: false, insert: false, update: false })
  searchVector?: string | null;

  @Column({ type: 'bigint', nullable: true })
  replyToMessageId!: string | null;

  @ManyToOne('Message', { eager: false, onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'reply_to_message_id' })
  replyTo?: Message | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attachments!: MessageAttachment[];

  /** Client-chosen id that makes a resend idempotent (unique per sender). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  clientId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @DeleteDateColumn({ type: 'timestamptz' })
  deletedAt!: Date | null;

  /**
   * Position in the planet's change feed (bigint as a string): set by the database on insert and
   * again on every edit and delete (migration AddMessageChangeSeq), never by the app.
   */
  @Column({ type: 'bigint', insert: false, update: false })
  changeSeq!: string;

  /** What search indexes for this message (see searchableTextOf, which the SQL paths call without an instance). */
  generateSearchableText(): string {
    return searchableTextOf(this.content, this.attachments);
  }

  /** Keeps searchableText current on save(); the database derives the search vector from it. */
  @BeforeInsert()
  protected searchableTextOnInsert(): void {
    this.searchableText = this.generateSearchableText();
  }

  /** On an edit only when content and attachments are loaded (a partial entity must not blank it). */
  @BeforeUpdate()
  protected searchableTextOnUpdate(): void {
    if (this.content !== undefined && this.attachments !== undefined) this.searchableText = this.generateSearchableText();
  }

  /** Korean-aware search over the planets where the user is an ACTIVE member (issue #4, seed Phase 1); records, not DTOs. */
  static search(user: CurrentUserData, dto: SearchDto, manager?: EntityManager): Promise<SearchResult> {
    return searchMessages(this.managerOf(manager), user, dto);
  }

  // --- chat core (issue 3): the SQL lives in ./queries, one statement per call. The query modules
  // import this file for types only (data flows one way: they return plain records, never instances) ---

  /** A page of the planet's messages with readCount / unreadCount / replyCount, in one SQL statement. */
  static findWithCounts(planetId: number, options?: counts.FindWithCountsOptions, manager?: EntityManager): Promise<counts.MessagePage> {
    return counts.findWithCounts(this.managerOf(manager), planetId, options);
  }

  /** Other ACTIVE members of the planet whose read watermark has reached the message. */
  static getReadCount(messageId: string, manager?: EntityManager): Promise<number> {
    return counts.getReadCount(this.managerOf(manager), messageId);
  }

  /** Replies to the message that are not deleted. */
  static getReplyCount(messageId: string, manager?: EntityManager): Promise<number> {
    return counts.getReplyCount(this.managerOf(manager), messageId);
  }

  /** Unread count and last message of each planet for one user, in one statement (GET /planets). */
  static findPlanetSummaries(userId: number, planetIds: number[], manager?: EntityManager): Promise<counts.PlanetMessageSummary[]> {
    return counts.findPlanetSummaries(this.managerOf(manager), userId, planetIds);
  }

  /** Every change (new, edited, deleted) of the planet's messages after `since`, in change order, each message in its latest state. */
  static findChanges(planetId: number, since: string, limit: number, manager?: EntityManager): Promise<ChangePage> {
    return findChanges(this.managerOf(manager), planetId, since, limit);
  }

  /** Inserts a message if the sender is an ACTIVE member and the reply is in the same planet (idempotent per clientId). */
  static insertForMember(message: NewMessage, manager?: EntityManager): Promise<InsertOutcome> {
    return insertForMember(this.managerOf(manager), message);
  }

  /** New content for a live message of `senderId`, in one guarded statement; null if it is gone or not theirs. */
  static editContent(
    message: Pick<Message, 'id' | 'attachments'>,
    senderId: number,
    content: string,
    manager?: EntityManager,
  ): Promise<{ message: MessageRecord; sender: SenderRef | null } | null> {
    return editMessageContent(this.managerOf(manager), message, senderId, content);
  }

  /** Soft delete (tombstone); true when this call deleted it. */
  static async softDeleteById(messageId: string, manager?: EntityManager): Promise<boolean> {
    return (await softDeleteMessage(this.managerOf(manager), messageId)) !== null;
  }

  /** Soft delete (tombstone); its changeSeq when this call deleted it, null when it already was one. */
  static tombstone(messageId: string, manager?: EntityManager): Promise<string | null> {
    return softDeleteMessage(this.managerOf(manager), messageId);
  }

  /** May the user mark this message read in this planet? (ACTIVE member; message of that planet) */
  static readTarget(
    planetId: number,
    userId: number,
    messageId: string,
    manager?: EntityManager,
  ): Promise<{ member: boolean; message: boolean }> {
    return readTarget(this.managerOf(manager), planetId, userId, messageId);
  }
}
