import {
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
import { searchMessages, SearchResult } from './search/message-search';

@Entity('message')
@Index('IDX_message_planet_id', ['planetId', 'id'])
@Index('IDX_message_reply_to', { synchronize: false })
@Index('UQ_message_sender_client_id', { synchronize: false })
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
   * What search indexes: the content and attachment file names, NFKC-normalised and lower-cased,
   * with runs of whitespace collapsed. Pure: no database.
   */
  generateSearchableText(): string {
    const parts = [this.content ?? '', ...(this.attachments ?? []).map((a) => a.fileName)];
    return parts
      .join(' ')
      .normalize('NFKC')
      .toLowerCase()
      .replace(/\s+/gu, ' ')
      .trim();
  }

  /** Full-text search over the planets where the user is an ACTIVE member (seed Phase 1). */
  static search(user: CurrentUserData, dto: SearchDto): Promise<SearchResult> {
    return searchMessages(user, dto);
  }
}
