/*
 * `npm run seed` / `yarn seed`: idempotent demo data for local development.
 *
 * Inserts, in ONE transaction and straight through the entities (no HTTP, no services): six demo
 * users with profiles and a known password, three travels (two PUBLIC, one PRIVATE) with their
 * memberships, six planets, about 330 Korean and English chat messages with replies, and one
 * read receipt (watermark) per member per planet. `participantCount` is set to the number of
 * ACTIVE members. Everything is generated deterministically (fixed script + seeded PRNG); only the
 * timestamps are relative to the time of seeding so the demo looks recent.
 *
 * Idempotent: the demo users' e-mails are the marker. When they exist, nothing is written.
 */
import 'reflect-metadata';
import bcrypt from 'bcryptjs';
import { DataSource, EntityManager } from 'typeorm';
import { createDataSource } from '../src/config/database.config';
import { ConfigError, validateEnv } from '../src/config/env';
import { loadDotenv } from '../src/config/load-dotenv';
import { HOW_TO_START } from '../src/common/errors/boot.error';
import { MessageReadReceipt } from '../src/modules/message/message-read-receipt.entity';
import { Message } from '../src/modules/message/message.entity';
import { MessageType } from '../src/modules/message/message.enums';
import { PlanetUser } from '../src/modules/planet/planet-user.entity';
import { PlanetRole } from '../src/modules/planet/planet.enums';
import { Planet } from '../src/modules/planet/planet.entity';
import { TravelUser } from '../src/modules/travel/travel-user.entity';
import { MembershipStatus, TravelRole, TravelVisibility } from '../src/modules/travel/travel.enums';
import { Travel } from '../src/modules/travel/travel.entity';
import { Profile } from '../src/modules/user/profile.entity';
import { User } from '../src/modules/user/user.entity';

export const DEMO_PASSWORD = 'connecto123!';

type UserKey = 'minji' | 'junho' | 'sora' | 'alex' | 'emma' | 'taeyang';
type Lang = 'ko' | 'en';

interface DemoUser {
  key: UserKey;
  email: string;
  nickname: string;
  bio: string;
  locale: Lang;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { key: 'minji', email: 'minji@connecto.dev', nickname: '민지', bio: '맛집 지도 만드는 사람 🗺️', locale: 'ko' },
  { key: 'junho', email: 'junho@connecto.dev', nickname: '준호', bio: '운전은 제가 할게요 🚗', locale: 'ko' },
  { key: 'sora', email: 'sora@connecto.dev', nickname: '소라', bio: '사진 담당 📷', locale: 'ko' },
  { key: 'alex', email: 'alex@connecto.dev', nickname: 'Alex', bio: 'Exchange student in Seoul, learning Korean 🇰🇷', locale: 'en' },
  { key: 'emma', email: 'emma@connecto.dev', nickname: 'Emma', bio: 'Backpacking across Asia 🎒', locale: 'en' },
  { key: 'taeyang', email: 'taeyang@connecto.dev', nickname: '태양', bio: '이번 부산은 못 가요 ㅠㅠ', locale: 'ko' },
];

/** A scripted line: speaker and text; a leading '↩' makes it a reply to the previous scripted line. */
type Line = [UserKey | 'system', string];

interface DemoPlanet {
  name: string;
  createdBy: UserKey;
  members: UserKey[];
  /** Members who were in the planet and left (status LEFT). */
  left?: UserKey[];
  /** Span of the conversation, in days before the seed time. */
  fromDaysAgo: number;
  toDaysAgo: number;
  script: Line[];
}

interface DemoTravel {
  title: string;
  description: string;
  visibility: TravelVisibility;
  host: UserKey;
  members: UserKey[];
  left?: UserKey[];
  /** Travel dates, in days from the seed date (negative: in the past). */
  startInDays: number;
  endInDays: number;
  planets: DemoPlanet[];
}

export const DEMO_TRAVELS: readonly DemoTravel[] = [
  {
    title: '부산 2박 3일 먹방 여행 🌊',
    description: '해운대, 광안리, 자갈치시장까지! KTX 타고 떠나는 부산 맛집 투어. Foreign friends welcome — we chat in Korean and English.',
    visibility: TravelVisibility.PUBLIC,
    host: 'minji',
    members: ['junho', 'sora', 'alex', 'emma'],
    left: ['taeyang'],
    startInDays: -3,
    endInDays: -1,
    planets: [
      {
        name: '전체 공지 📢',
        createdBy: 'minji',
        members: ['minji', 'junho', 'sora', 'alex', 'emma'],
        left: ['taeyang'],
        fromDaysAgo: 14,
        toDaysAgo: 3.2,
        script: [
          ['system', '민지님이 플래닛 "전체 공지 📢"을 만들었어요.'],
          ['minji', '부산 여행방 만들었어요! 여기는 공지랑 전체 일정 얘기하는 곳이에요 🙌'],
          ['minji', "Alex, Emma 환영해요! Feel free to write in English, we'll reply in both 😊"],
          ['alex', '↩Thanks Minji! So excited for Busan 🌊'],
          ['emma', 'Hi everyone! First time in Busan, any must-see spots?'],
          ['junho', '↩해운대랑 광안리는 무조건이고, 감천문화마을도 꼭 가봐야 해요'],
          ['taeyang', '저도 껴도 되죠? ㅎㅎ 부산은 고등학교 수학여행 이후 처음이에요'],
          ['sora', 'KTX 표 다들 예매했어요? 금요일 저녁 표 벌써 거의 없던데'],
          ['minji', '↩금요일 19시 서울역 출발 KTX로 5명 예매 완료했어요! 좌석은 8호차'],
          ['alex', 'Wow thank you! How much do I owe you for the KTX ticket?'],
          ['minji', "↩편도 59,800원이에요. 나중에 한꺼번에 정산해요 (we'll settle everything at the end)"],
          ['taeyang', '헐 저 회사 일정 때문에 이번엔 못 갈 것 같아요 ㅠㅠ 다음에 꼭 같이 가요'],
          ['system', '태양님이 여행에서 나갔어요.'],
          ['sora', '태양님 아쉽다 ㅠㅠ 부산에서 사진 많이 찍어올게요'],
          ['minji', '📌 1일차: 부산역 도착 → 숙소 체크인 → 광안리 야경 + 회센터'],
          ['minji', '📌 2일차: 감천문화마을 → 자갈치시장 점심 → 해운대 블루라인파크 스카이캡슐'],
          ['minji', '📌 3일차: 기장 해동용궁사 → 오후 KTX로 서울 복귀'],
          ['emma', 'The sky capsule looks amazing, do we need to book in advance?'],
          ['junho', '↩주말이라 예약 필수예요. 제가 2일차 11시 타임으로 잡아둘게요'],
          ['alex', 'What time do we meet at Seoul Station on Friday?'],
          ['minji', '↩18시 30분까지 서울역 2층 KTX 타는 곳 앞 카페에서 만나요'],
          ['sora', '혹시 부산에서 비 오면 플랜B 있어요? 주말에 비 소식 있던데 ☔'],
          ['junho', '↩비 오면 감천 대신 F1963이랑 영화의전당 가요. 실내라 괜찮아요'],
          ['emma', "Good call. I'll bring an umbrella just in case"],
          ['minji', '교통카드 있으면 부산 지하철이랑 버스 다 돼요. 티머니 그대로 쓰면 돼요'],
          ['alex', 'Does my T-money card work in Busan too?'],
          ['sora', '↩네 Alex! T-money works on the Busan subway and buses 👍'],
          ['minji', '경비는 1인당 25만원 정도 예상해요. 숙소 + 교통 + 식비 포함'],
          ['junho', '정산은 토스로 할게요. 외국인 친구들은 현금이나 카카오페이?'],
          ['emma', '↩I can do cash, or a Wise transfer if that works'],
          ['minji', '다들 신분증 챙기세요! KTX 탈 때 가끔 확인해요'],
          ['sora', '내일 출발이다!! 다들 늦지 마요 🚄'],
        ],
      },
      {
        name: '맛집 탐방 🍜',
        createdBy: 'minji',
        members: ['minji', 'junho', 'sora', 'alex'],
        fromDaysAgo: 10,
        toDaysAgo: 0.8,
        script: [
          ['system', '민지님이 플래닛 "맛집 탐방 🍜"을 만들었어요.'],
          ['minji', '부산 먹킷리스트 여기 정리해요 🍜 돼지국밥, 밀면, 씨앗호떡, 회, 어묵'],
          ['junho', '돼지국밥은 서면 국밥골목이 제일 유명해요. 아침 일찍 가면 줄 안 서요'],
          ['alex', "What's the difference between 밀면 and 냉면?"],
          ['sora', '↩밀면은 부산식이라 밀가루가 들어가서 면이 더 부드러워요. Softer noodles, wheat flour!'],
          ['alex', '↩Got it, I want to try both then 😂'],
          ['minji', '자갈치시장에서 회 떠서 2층 식당에서 먹는 거 어때요? 상차림비 따로 있어요'],
          ['junho', '↩광어랑 우럭 세트 4인 기준 8만원 정도 했던 것 같아요'],
          ['sora', '남포동 씨앗호떡은 줄 서도 무조건 먹어야 함 ㅋㅋ'],
          ['alex', "↩Is it spicy? I'm still training my spice tolerance 🌶️"],
          ['minji', "↩호떡은 안 매워요 ㅋㅋ 달아요! It's sweet, with seeds and nuts"],
          ['junho', '해운대 암소갈비집은 웨이팅이 2시간이라 패스하는 게 나을 듯'],
          ['sora', '↩대신 해운대 시장 떡볶이랑 튀김은 어때요? 가성비 최고'],
          ['minji', '광안리 야경 보면서 조개구이 먹는 거 제 로망이에요 🦪'],
          ['alex', '↩Count me in for the clams!'],
          ['junho', '조개구이는 청사포 쪽이 더 싸고 바다 바로 앞이에요'],
          ['sora', '↩청사포 다릿돌 전망대도 같이 가면 딱이겠다'],
          ['minji', '2일차 점심 자갈치, 저녁 청사포 조개구이로 확정할게요'],
          ['alex', 'Can someone write down the name of the 국밥 place? I want to save it on Naver Map'],
          ['junho', "↩서면 '합천일류돼지국밥' 검색하면 나와요. Naver Map에 저장해둬요"],
          ['sora', '부산 어묵은 삼진어묵 본점 가면 종류가 엄청 많아요'],
          ['minji', '↩어묵 고로케 진짜 맛있어요. 선물용으로도 좋아요'],
          ['alex', '↩Souvenir idea for my host family, thanks!'],
          ['junho', '밀면은 가야밀면 아니면 개금밀면. 둘 다 현지인 맛집'],
          ['sora', '저 해산물 알레르기 있는 거 아시죠? 회 먹을 때 저는 따로 고기 먹을게요'],
          ['minji', '↩소라 알레르기 체크 ✅ 자갈치에 장어구이 집도 있어요'],
          ['alex', 'The 돼지국밥 this morning was incredible. Best breakfast in Korea so far'],
          ['junho', '↩부추 넣고 새우젓 조금 넣어야 제맛이에요 ㅋㅋ'],
          ['sora', '호떡 줄 30분 섰는데 그럴 가치가 있었다 🥹'],
          ['minji', '다음 부산 여행 때는 기장 멸치쌈밥 도전해봐요'],
          ['alex', '↩Already planning the next trip 😂'],
        ],
      },
      {
        name: '숙소·교통 🧳',
        createdBy: 'minji',
        members: ['minji', 'junho', 'emma'],
        fromDaysAgo: 12,
        toDaysAgo: 2.5,
        script: [
          ['minji', '숙소는 광안리 오션뷰 에어비앤비로 2박 잡았어요. 방 3개, 최대 6인'],
          ['emma', "Amazing! What's the check-in time?"],
          ['minji', '↩체크인 오후 4시, 체크아웃 오전 11시예요. Check-in 4pm, check-out 11am'],
          ['junho', '짐은 부산역 물품보관함에 맡기고 바로 놀러 가도 돼요'],
          ['emma', 'Good to know. How do we get from Busan Station to Gwangalli?'],
          ['junho', '↩지하철 1호선 타고 서면에서 2호선 환승, 광안역 하차. 40분 정도'],
          ['minji', '짐 많으면 택시 타요. 5명이면 택시 2대, 한 대에 1만5천원 정도'],
          ['emma', '↩Taxi sounds easier with luggage 🧳'],
          ['junho', '카카오T로 부르면 외국인 카드도 결제 돼요'],
          ['minji', '숙소 와이파이 비번이랑 도어락 번호는 체크인 당일에 보낼게요'],
          ['emma', 'Is there a washing machine at the place?'],
          ['minji', '↩세탁기 있어요! 건조기는 없어서 빨래는 첫날에 하는 게 좋아요'],
          ['junho', '해동용궁사 갈 때는 버스가 애매해서 렌터카 반나절 빌릴까 해요'],
          ['emma', '↩I have an international driving permit if we need a second driver'],
          ['junho', '↩오 좋아요! 쏘카로 빌리면 국제면허도 되는지 확인해볼게요'],
          ['minji', '마지막 날 KTX는 부산역 16시 출발이에요. 15시 30분까지 역에 도착!'],
          ['emma', "↩Noted. I'll set an alarm ⏰"],
          ['junho', '숙소 앞 편의점에서 아침 사 먹어도 되고, 근처에 브런치 카페도 많아요'],
          ['minji', '체크아웃할 때 쓰레기 분리수거 꼭 해야 한대요 (recycling rules are strict!)'],
          ['emma', "↩Good to know, I'll help with the recycling 😅"],
        ],
      },
    ],
  },
  {
    title: '제주 한 달 살기 준비방 🍊',
    description: '6월 한 달 제주 살기. 애월 독채, 렌터카, 한라산, 우도, 오름 투어 계획 중 (비공개)',
    visibility: TravelVisibility.PRIVATE,
    host: 'junho',
    members: ['minji', 'sora'],
    startInDays: 30,
    endInDays: 59,
    planets: [
      {
        name: '제주 일정',
        createdBy: 'junho',
        members: ['junho', 'minji', 'sora'],
        fromDaysAgo: 6,
        toDaysAgo: 0.02,
        script: [
          ['junho', '제주 한 달 살기 방 만들었어요. 일단 우리 셋이서 계획 짜봐요'],
          ['minji', '드디어!! 6월 한 달 맞죠? 회사에 휴직계 냈어요 ㅋㅋ'],
          ['sora', '저는 2주만 같이 있을 수 있어요 ㅠㅠ 6월 첫째 주랑 둘째 주'],
          ['junho', '숙소는 애월 쪽 vs 성산 쪽 고민 중이에요. 서쪽이 노을이 예쁘고 동쪽이 일출'],
          ['minji', '↩애월 카페거리 가까운 데가 좋을 듯. 한림이랑 협재 해변도 가깝고'],
          ['sora', '↩성산일출봉 일출은 꼭 보고 싶어요. 하루는 동쪽에서 자도 될 듯'],
          ['junho', '한라산 등반은 성판악 코스로 가요. 탐방 예약 필수래요'],
          ['minji', '↩한라산 예약 오픈이 한 달 전이라 5월 초에 알람 맞춰둘게요'],
          ['sora', '우도는 전기자전거 빌려서 한 바퀴 도는 거 추천이요 🚲'],
          ['junho', '오름은 새별오름, 용눈이오름, 다랑쉬오름 중에 골라봐요'],
          ['minji', '↩다랑쉬오름 일몰 진짜 예쁘대요'],
          ['sora', '흑돼지는 제주시 흑돼지거리에서 한 번, 서귀포에서 한 번 먹어요 ㅋㅋ'],
          ['junho', '↩고기국수도 빼먹으면 안 됨. 올레국수 유명해요'],
          ['minji', '주말에는 동문시장 야시장 가요. 귤 디저트 종류가 엄청 많대요 🍊'],
          ['sora', '비 오는 날은 아쿠아플라넷이나 본태박물관 가면 좋겠다'],
          ['junho', '한 달이니까 빡빡하게 말고 일주일에 두세 개만 일정 넣는 걸로'],
          ['minji', '↩동의! 나머지는 카페에서 일하고 바다 보고 ㅋㅋ'],
          ['sora', '↩제주에서 재택하려면 와이파이 좋은 숙소가 필수겠네요'],
          ['junho', '올레길 7코스 걸어봐요. 외돌개부터 월평까지 해안 절경이래요'],
          ['minji', '비행기는 김포-제주 6월 1일 아침 7시 편 어때요?'],
          ['sora', '↩좋아요. 저는 14일 저녁 비행기로 먼저 올라갈게요'],
          ['junho', '제주 항공권은 특가 뜰 때 잡아야 해요. 지금 편도 3만원대'],
          ['minji', '방금 3명 예매했어요! 왕복은 각자 날짜가 달라서 편도로'],
          ['sora', '제주 도착하면 공항 근처에서 고기국수 먹고 출발해요'],
          ['junho', '일정표 노션에 정리해서 링크 올릴게요'],
        ],
      },
      {
        name: '렌터카·숙소',
        createdBy: 'junho',
        members: ['junho', 'minji'],
        fromDaysAgo: 5,
        toDaysAgo: 0.5,
        script: [
          ['junho', '렌터카는 한 달 장기렌트가 훨씬 싸요. 경차 한 달 70만원대'],
          ['minji', '↩셋이면 경차는 좀 좁지 않아요? 캐리어도 있고'],
          ['junho', '↩그럼 준중형으로 알아볼게요. 아반떼급 한 달 95만원 정도'],
          ['minji', '완전자차 보험은 꼭 넣어요. 제주 돌담길 좁아서 긁히기 쉽대요'],
          ['junho', '숙소는 애월 독채 한 달 살기 220만원짜리 찾았어요. 방 2개, 주방 있음'],
          ['minji', '↩오 사진 보니까 마당이 있네요! 바베큐 가능?'],
          ['junho', '↩바베큐 그릴 있어요. 숯은 따로 사야 한대요'],
          ['minji', '관리비랑 전기세 포함인지 물어봐주세요'],
          ['junho', '↩물어봤는데 전기세는 별도, 월 5만원 정도 나온대요'],
          ['minji', '괜찮네요. 세탁기랑 건조기도 있어요?'],
          ['junho', '↩둘 다 있어요. 와이파이 속도도 100메가래요'],
          ['minji', '그럼 여기로 계약해요! 계약금은 제가 먼저 보낼게요'],
          ['junho', '렌터카는 제주공항에서 픽업, 한 달 뒤 공항 반납으로 예약 완료 🚗'],
          ['minji', '주유비랑 톨비는 한 달 끝나고 N빵 ㅋㅋ'],
          ['junho', '↩제주는 톨비 없어요 ㅋㅋ 주차비만 가끔'],
        ],
      },
    ],
  },
  {
    title: 'Seoul Night Food Tour 🌃',
    description:
      'Gwangjang Market, Euljiro and Itaewon after dark. 광장시장부터 을지로 노가리 골목까지, 외국인 친구들과 함께하는 서울 야식 투어',
    visibility: TravelVisibility.PUBLIC,
    host: 'alex',
    members: ['emma', 'minji', 'junho'],
    startInDays: -7,
    endInDays: -7,
    planets: [
      {
        name: 'General',
        createdBy: 'alex',
        members: ['alex', 'emma', 'minji', 'junho'],
        fromDaysAgo: 9,
        toDaysAgo: 6.9,
        script: [
          ['alex', 'Welcome to the Seoul night food tour! Plan: Gwangjang Market → Euljiro → Itaewon'],
          ['emma', '↩Yay! Gwangjang Market has been on my list forever'],
          ['minji', '광장시장 빈대떡이랑 마약김밥 꼭 드세요! Bindaetteok is a must'],
          ['alex', 'What time do the stalls close?'],
          ['junho', '↩대부분 밤 11시까지 해요. Most stalls stay open until 11pm'],
          ['emma', "Let's meet at Jongno 5-ga station, exit 8 at 7pm?"],
          ['alex', '↩Works for me 👍'],
          ['minji', '을지로 노가리 골목은 맥주 한잔하기 딱 좋아요 🍺'],
          ['emma', '↩What is 노가리? Dried fish?'],
          ['junho', '↩Yes, dried young pollack! Great with beer'],
          ['alex', "I'll try anything once 😂"],
          ['emma', 'Is it easy to get from Euljiro to Itaewon late at night?'],
          ['minji', '↩지하철 6호선 타면 돼요. Last train around midnight, or take a taxi'],
          ['alex', "↩Let's take a taxi, it's not that expensive in Seoul"],
          ['junho', '↩심야 할증 있어서 밤 10시 이후엔 좀 비싸요. Late-night surcharge after 10pm'],
          ['emma', '↩Good to know! Splitting it four ways is fine'],
          ['alex', 'Anyone allergic to anything? Some of the market food has peanuts'],
          ['minji', '↩저는 다 잘 먹어요! I eat everything 😋'],
          ['emma', "↩No allergies, but I'm not great with very spicy food"],
          ['junho', '↩떡볶이는 순한 맛도 있어요. Ask for 덜 맵게 (less spicy)'],
          ['alex', '↩Writing that down: 덜 맵게 주세요!'],
          ['emma', "Tonight was so much fun. Let's do Busan next!"],
        ],
      },
    ],
  },
];

const REACTIONS: Record<Lang, string[]> = {
  ko: [
    'ㅋㅋㅋㅋ',
    '좋아요!',
    'ㅇㅋ',
    '완전 좋아요 👍',
    '헐 대박',
    '오 좋다',
    '찬성!',
    '저도요!',
    '감사해요 🙏',
    'ㅠㅠ',
    '넵 확인했어요',
    '기대된다 ㅎㅎ',
    '그거 좋네요',
    '오케이 👌',
    'ㅋㅋㅋ 인정',
    '알겠어요!',
    '완전 기대돼요',
    '굿굿',
    '사진 찍어서 올려주세요 📷',
    '와 여행 가고 싶다',
  ],
  en: [
    'Sounds good!',
    '👍',
    'Haha',
    'Perfect, thanks!',
    'Love it',
    "Can't wait!",
    'Got it',
    'Nice 😄',
    'Agreed',
    'Thank you!',
    'Noted 👌',
    'So excited',
    'Same here',
    'Good idea!',
  ],
};

/** Deterministic PRNG (mulberry32), so every run writes the same content. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)];

interface PlannedMessage {
  planetIdx: number;
  sender: UserKey | null;
  content: string;
  type: MessageType;
  /** Index, within the same planet's planned messages, of the message this one replies to. */
  replyTo: number | null;
  at: Date;
  edited: boolean;
}

/** The conversation of one planet: the script, with short reactions from other members in between. */
function planConversation(planet: DemoPlanet, planetIdx: number, now: number, rand: () => number): PlannedMessage[] {
  const langOf = (k: UserKey) => DEMO_USERS.find((u) => u.key === k)!.locale;
  const out: Omit<PlannedMessage, 'at'>[] = [];
  let lastScripted = -1;
  for (const [who, raw] of planet.script) {
    const isReply = raw.startsWith('↩');
    const text = isReply ? raw.slice(1) : raw;
    const idx = out.length;
    out.push({
      planetIdx,
      sender: who === 'system' ? null : who,
      content: text,
      type: who === 'system' ? MessageType.SYSTEM : MessageType.TEXT,
      replyTo: isReply && lastScripted >= 0 ? lastScripted : null,
      edited: who !== 'system' && rand() < 0.03,
    });
    lastScripted = idx;
    if (who === 'system') continue;
    // 0–3 reactions from other (still present) members.
    const others = planet.members.filter((m) => m !== who);
    const r = rand();
    const n = r < 0.15 ? 0 : r < 0.55 ? 1 : r < 0.85 ? 2 : 3;
    for (let i = 0; i < n && others.length > 0; i++) {
      const reactor = pick(rand, others);
      const lang: Lang = reactor === 'alex' && rand() < 0.3 ? 'ko' : langOf(reactor);
      out.push({
        planetIdx,
        sender: reactor,
        content: pick(rand, REACTIONS[lang]),
        type: MessageType.TEXT,
        replyTo: rand() < 0.35 ? idx : null,
        edited: false,
      });
    }
  }
  // Timestamps: irregular gaps (bursts of chat, quiet nights) scaled into the planet's span.
  const gaps = out.map(() => (rand() < 0.15 ? 20 + rand() * 60 : 0.3 + rand() * 4));
  const total = gaps.reduce((a, b) => a + b, 0);
  const from = now - planet.fromDaysAgo * 86_400_000;
  const span = (planet.fromDaysAgo - planet.toDaysAgo) * 86_400_000;
  let acc = 0;
  return out.map((m, i) => {
    acc += gaps[i];
    return { ...m, at: new Date(Math.round(from + (acc / total) * span)) };
  });
}

export interface DemoLogin {
  email: string;
  password: string;
  nickname: string;
  travels: string[];
}

export interface SeedCounts {
  users: number;
  travels: number;
  travelUsers: number;
  planets: number;
  planetUsers: number;
  messages: number;
  replies: number;
  readReceipts: number;
}

export interface SeedResult {
  /** false when the demo data was already there (nothing written). */
  created: boolean;
  counts: SeedCounts;
  logins: DemoLogin[];
}

export function demoLogins(): DemoLogin[] {
  return DEMO_USERS.map((u) => ({
    email: u.email,
    password: DEMO_PASSWORD,
    nickname: u.nickname,
    travels: DEMO_TRAVELS.filter((t) => t.host === u.key || t.members.includes(u.key)).map(
      (t) => `${t.title} (${t.visibility}${t.host === u.key ? ', host' : ''})`,
    ),
  }));
}

/** Counts of the demo rows (the rows linked to the demo travels and users). */
export async function countDemoRows(manager: EntityManager): Promise<SeedCounts> {
  const emails = DEMO_USERS.map((u) => u.email);
  const [row] = await manager.query<Array<Record<keyof SeedCounts, string>>>(
    `WITH u AS (SELECT id FROM "user" WHERE email = ANY($1)),
          t AS (SELECT id FROM travel WHERE created_by_id IN (SELECT id FROM u)),
          p AS (SELECT id FROM planet WHERE travel_id IN (SELECT id FROM t))
     SELECT (SELECT count(*) FROM u) AS users,
            (SELECT count(*) FROM t) AS travels,
            (SELECT count(*) FROM travel_user WHERE travel_id IN (SELECT id FROM t)) AS "travelUsers",
            (SELECT count(*) FROM p) AS planets,
            (SELECT count(*) FROM planet_user WHERE planet_id IN (SELECT id FROM p)) AS "planetUsers",
            (SELECT count(*) FROM message WHERE planet_id IN (SELECT id FROM p)) AS messages,
            (SELECT count(*) FROM message WHERE planet_id IN (SELECT id FROM p) AND reply_to_message_id IS NOT NULL) AS replies,
            (SELECT count(*) FROM message_read_receipt WHERE planet_id IN (SELECT id FROM p)) AS "readReceipts"`,
    [emails],
  );
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as SeedCounts;
}

/**
 * Writes the demo data in one transaction, unless the demo users already exist.
 * Safe to run concurrently: a transaction-scoped advisory lock serialises seeders.
 */
export async function seedDemoData(dataSource: DataSource, opts: { bcryptRounds?: number; now?: Date } = {}): Promise<SeedResult> {
  const rounds = opts.bcryptRounds ?? 10;
  const now = (opts.now ?? new Date()).getTime();
  const emails = DEMO_USERS.map((u) => u.email);

  const created = await dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('connecto:demo-seed'))`);
    const existing = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .withDeleted()
      .where('lower(u.email) IN (:...emails)', { emails })
      .getCount();
    if (existing > 0) {
      if (existing < emails.length) {
        console.warn(
          `seed: ${existing} of the ${emails.length} demo e-mails are already registered (not by the seed); leaving the database as it is`,
        );
      }
      return false;
    }

    // Users and profiles (each with its own bcrypt salt).
    const users = new Map<UserKey, User>();
    for (const d of DEMO_USERS) {
      const user = manager.create(User, { email: d.email, passwordHash: await bcrypt.hash(DEMO_PASSWORD, rounds) });
      await manager.save(user);
      await manager.save(manager.create(Profile, { userId: user.id, nickname: d.nickname, bio: d.bio, locale: d.locale }));
      users.set(d.key, user);
    }
    const idOf = (k: UserKey) => users.get(k)!.id;
    const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);

    // Travels, memberships, planets; messages planned per planet.
    const rand = prng(20260601);
    const planets: Planet[] = [];
    const planetMembers: UserKey[][] = [];
    const planned: PlannedMessage[] = [];
    for (const t of DEMO_TRAVELS) {
      const activeKeys = [t.host, ...t.members];
      const travel = await manager.save(
        manager.create(Travel, {
          title: t.title,
          description: t.description,
          visibility: t.visibility,
          participantCount: activeKeys.length,
          startDate: day(t.startInDays),
          endDate: day(t.endInDays),
          createdById: idOf(t.host),
          createdAt: new Date(now - 15 * 86_400_000),
        }),
      );
      const memberships = [
        ...activeKeys.map((k) => ({ k, role: k === t.host ? TravelRole.HOST : TravelRole.MEMBER, status: MembershipStatus.ACTIVE })),
        ...(t.left ?? []).map((k) => ({ k, role: TravelRole.MEMBER, status: MembershipStatus.LEFT })),
      ];
      await manager.save(
        memberships.map((m) =>
          manager.create(TravelUser, {
            travelId: travel.id,
            userId: idOf(m.k),
            role: m.role,
            status: m.status,
            leftAt: m.status === MembershipStatus.LEFT ? new Date(now - 10 * 86_400_000) : null,
          }),
        ),
      );
      for (const p of t.planets) {
        const planet = await manager.save(manager.create(Planet, { travelId: travel.id, name: p.name, createdById: idOf(p.createdBy) }));
        const pus = [
          ...p.members.map((k) => ({ k, status: MembershipStatus.ACTIVE })),
          ...(p.left ?? []).map((k) => ({ k, status: MembershipStatus.LEFT })),
        ];
        await manager.save(
          pus.map((m) =>
            manager.create(PlanetUser, {
              planetId: planet.id,
              userId: idOf(m.k),
              role: m.k === p.createdBy ? PlanetRole.ADMIN : PlanetRole.MEMBER,
              status: m.status,
              leftAt: m.status === MembershipStatus.LEFT ? new Date(now - 10 * 86_400_000) : null,
            }),
          ),
        );
        planned.push(...planConversation(p, planets.length, now, rand));
        planets.push(planet);
        planetMembers.push(p.members);
      }
    }

    // Messages in global time order, so ids follow createdAt across planets.
    const order = planned.map((m, i) => ({ m, i })).sort((a, b) => a.m.at.getTime() - b.m.at.getTime() || a.i - b.i);
    const perPlanet = new Map<number, PlannedMessage[]>();
    for (const m of planned) perPlanet.set(m.planetIdx, [...(perPlanet.get(m.planetIdx) ?? []), m]);
    const idByPlanned = new Map<PlannedMessage, string>();
    for (const { m } of order) {
      const siblings = perPlanet.get(m.planetIdx)!;
      const replyTarget = m.replyTo === null ? null : siblings[m.replyTo];
      const message = manager.create(Message, {
        planetId: planets[m.planetIdx].id,
        senderId: m.sender ? idOf(m.sender) : null,
        type: m.type,
        content: m.content,
        replyToMessageId: replyTarget ? idByPlanned.get(replyTarget)! : null,
        attachments: [],
        createdAt: m.at,
        editedAt: m.edited ? new Date(m.at.getTime() + 90_000) : null,
      });
      message.searchableText = message.generateSearchableText();
      await manager.save(message);
      idByPlanned.set(m, message.id);
    }

    // Read receipts: one watermark per ACTIVE member per planet. Most members are caught up; some
    // lag a few messages behind; a watermark never trails the member's own last message.
    const receiptRand = prng(7);
    const receipts: MessageReadReceipt[] = [];
    planets.forEach((planet, idx) => {
      const msgs = perPlanet.get(idx)!;
      for (const k of planetMembers[idx]) {
        if (idx === 2 && k === 'emma') continue; // has not opened this planet yet: no watermark
        const caughtUp = receiptRand() < 0.6;
        let at = caughtUp ? msgs.length - 1 : Math.max(0, msgs.length - 1 - Math.ceil(receiptRand() * 20));
        const ownLast = msgs.map((m) => m.sender).lastIndexOf(k);
        at = Math.max(at, ownLast);
        receipts.push(
          manager.create(MessageReadReceipt, {
            planetId: planet.id,
            userId: idOf(k),
            lastReadMessageId: idByPlanned.get(msgs[at])!,
            readAt: new Date(msgs[at].at.getTime() + 60_000),
          }),
        );
      }
    });
    await manager.save(receipts);
    return true;
  });

  return { created, counts: await countDemoRows(dataSource.manager), logins: demoLogins() };
}

export function formatLogins(logins: DemoLogin[]): string {
  const width = Math.max(...logins.map((l) => l.email.length));
  const lines = logins.map(
    (l) => `  ${l.email.padEnd(width)}  ${l.password}   ${l.nickname}${l.travels.length ? ` — ${l.travels.join('; ')}` : ''}`,
  );
  return ['Demo logins (POST /api/v1/auth/login with { email, password }):', ...lines].join('\n');
}

export function describeResult(r: SeedResult): string {
  const c = r.counts;
  const what = `${c.users} users, ${c.travels} travels, ${c.planets} planets, ${c.messages} messages (${c.replies} replies), ${c.readReceipts} read receipts`;
  return r.created ? `Seeded demo data: ${what}.` : `Demo data already present (${what}); nothing changed.`;
}

/** Seeds the database named by the environment; prints one readable line on failure. */
export async function runSeed(): Promise<SeedResult> {
  loadDotenv();
  const env = validateEnv();
  const where = `${env.DATABASE_HOST}:${env.DATABASE_PORT}`;
  const ds = createDataSource(env, { max: 2, min: 0 });
  try {
    await ds.initialize();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '3D000')
      throw new SeedError(`PostgreSQL at ${where} has no database "${env.DATABASE_NAME}": run \`npm run db:prepare\` first`);
    throw new SeedError(`PostgreSQL is not reachable at ${where} (${e.code ?? e.message}): ${HOW_TO_START.postgres}`);
  }
  try {
    if (await ds.showMigrations()) {
      throw new SeedError(
        `database "${env.DATABASE_NAME}" has pending migrations: run \`npm run db:prepare\` (or \`yarn typeorm migration:run\`) first`,
      );
    }
    return await seedDemoData(ds, { bcryptRounds: env.BCRYPT_ROUNDS });
  } finally {
    await ds.destroy();
  }
}

export class SeedError extends Error {
  override name = 'SeedError';
}

if (require.main === module) {
  runSeed()
    .then((result) => {
      console.log(describeResult(result));
      console.log(formatLogins(result.logins));
    })
    .catch((err: unknown) => {
      if (err instanceof SeedError || err instanceof ConfigError) console.error(`seed: ${err.message}`);
      else console.error('seed: failed:', err);
      process.exit(1);
    });
}
