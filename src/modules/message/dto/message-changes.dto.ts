import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { isBigId, ToInt } from '../../../common/validation/validators';
import { MessageResponseDto } from './message-response.dto';

export const CHANGES_PAGE_MAX = 500;

/** A change cursor: `0` or a positive decimal integer within int8, no sign, no leading zeros, no exponent. */
export function isChangeCursor(value: unknown): value is string {
  return value === '0' || isBigId(value);
}

function IsChangeCursor(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isChangeCursor',
      validator: {
        validate: isChangeCursor,
        defaultMessage: () => '$property must be a change cursor: 0 or a nextCursor / changeSeq the server returned',
      },
    },
    options,
  );
}

/** Query of GET /planets/:planetId/changes: keyset on change_seq. */
export class ListChangesDto {
  @ApiPropertyOptional({
    description:
      'Cursor: `nextCursor` of the previous page, or the largest `changeSeq` the client holds for this planet; `0` (the default) replays the whole planet. Decimal digits, up to 9223372036854775807.',
    default: '0',
    example: '5120',
    pattern: '^(0|[1-9][0-9]{0,18})$',
  })
  @IsOptional()
  @IsString()
  @IsChangeCursor()
  since: string = '0';

  @ApiPropertyOptional({ type: 'integer', default: 100, minimum: 1, maximum: CHANGES_PAGE_MAX })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(CHANGES_PAGE_MAX)
  limit: number = 100;
}

export class MessageChangesResponseDto {
  @ApiProperty({
    type: [MessageResponseDto],
    description:
      'Messages created, edited or deleted after `since`, oldest change first; each message once, in its latest state (a deleted one as a tombstone: `deleted: true`, no content)',
  })
  data!: MessageResponseDto[];

  @ApiProperty({
    example: '5170',
    description: 'Pass as `since` next time: the `changeSeq` of the last item, or `since` itself when there was nothing new',
  })
  nextCursor!: string;

  @ApiProperty({ description: 'More changes are waiting: ask again with `nextCursor` at once' })
  hasMore!: boolean;
}
