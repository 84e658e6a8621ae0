import { Injectable } from '@nestjs/common';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import type { SearchDto } from './dto/search.dto';
import { Message } from './message.entity';
import type { SearchResult } from './search/message-search';

/** Thin layer over the Message statics: access checks and DTO mapping. */
@Injectable()
export class MessageService {
  search(user: CurrentUserData, dto: SearchDto): Promise<SearchResult> {
    return Message.search(user, dto);
  }
}
