import { Message } from './message.entity';
import { MediaKind } from '../media/media.enums';
import { searchableTextOf } from './searchable-text';

describe('searchableTextOf (pure, no instance)', () => {
  it('joins content and attachment file names, NFKC-normalised, lower-cased, whitespace collapsed', () => {
    expect(searchableTextOf('  내일  ＢＵＳＡＮ\n에서\t만나요 ', [{ fileName: 'Haeundae.JPG' }, { fileName: '일정표 v2.pdf' }])).toBe(
      '내일 busan 에서 만나요 haeundae.jpg 일정표 v2.pdf',
    );
    expect(searchableTextOf(null, [])).toBe('');
    expect(searchableTextOf(undefined, undefined)).toBe('');
    expect(searchableTextOf(null, [{ fileName: 'ﾊﾟﾝ.png' }])).toBe('パン.png');
  });

  it('is what the entity method returns (the method calls it)', () => {
    const m = Object.assign(new Message(), {
      content: 'KTX타고 Busan',
      attachments: [{ mediaId: 1, kind: MediaKind.FILE, fileName: 'Ticket.PDF', mimeType: 'application/pdf' }],
    });
    expect(m.generateSearchableText()).toBe(searchableTextOf(m.content, m.attachments));
    expect(m.generateSearchableText()).toBe('ktx타고 busan ticket.pdf');
  });
});
