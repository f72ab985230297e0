// What people type in Twitch chat, by language, genre and moment. No phrase contains an emote
// code: emotes are added separately so their positions are always tagged (a test checks it).
import type { Mood } from './emotes.ts';
import type { Genre } from './stream-catalog.ts';

type ByLanguage = Readonly<Record<string, readonly string[]>>;

/** Everyday chat, per broadcast language; other languages fall back to English. */
// prettier-ignore
export const CHAT_LINES: ByLanguage = {
  en: [
    'lol', 'lmao', 'W', 'L', 'true', 'fr', 'real', 'based', 'ratio', 'no shot', 'bro', 'ez',
    '?', '??', 'wait what', 'chat is this real', 'let him cook', 'he is cooking', 'thats crazy',
    'who asked', 'so true', 'nah', 'yep', 'same', 'first time here', 'love the stream',
    'this song goes hard', 'how is he so good', 'washed', 'clean', 'nice', 'gg', 'unlucky',
    'what did i miss', 'just got here', 'hes so back', 'its over', 'we are so back', 'skill issue',
    'chat behave', 'mods', 'back from work', 'good stream today', 'i called it', 'chat im scared',
    'this is peak', 'bro forgot', 'actually insane', 'calm down chat', 'yo', 'sheesh', 'mid',
    'huh', 'what', 'ok', 'based streamer', 'no way he said that', 'he doesnt know', 'trust',
  ],
  es: [
    'jajaja', 'que paso', 'buenas', 'no manches', 'que crack', 'ufff', 'vamos', 'dale',
    'literal', 'que buena', 'hola chat', 'xd', 'jaja que malo', 'eso es', 'no puede ser', 'epico',
  ],
  pt: [
    'kkkkk', 'boa', 'que isso', 'mano', 'tmj', 'salve', 'nossa', 'caraca', 'bom demais',
    'oi chat', 'vai dar bom', 'ta maluco', 'top', 'eita', 'sem condição',
  ],
  de: [
    'hahaha', 'krass', 'digga', 'ehrenmann', 'moin', 'na klar', 'sehr gut', 'alter', 'wild',
    'läuft', 'schön', 'was geht chat', 'oha', 'ganz stark', 'über krass',
  ],
  fr: [
    'mdr', 'ptdr', 'trop fort', 'wesh', 'bien joué', 'c est chaud', 'jpp', 'salut le chat',
    'incroyable', 'la vache', 'grave', 'ouais', 'nul', 'trop bien', 'ça passe',
  ],
  ru: [
    'ахаха', 'привет', 'красава', 'жесть', 'ну да', 'го', 'изи', 'лол', 'имба', 'класс',
    'топ', 'понял', 'ору', 'мда', 'сильно',
  ],
  ko: [
    'ㅋㅋㅋㅋ', 'ㅋㅋㅋㅋㅋㅋ', '와', 'ㄷㄷ', '안녕하세요', '대박', 'ㅇㅈ', '굿', '미쳤다', 'ㅎㅇ',
    '오', '헐', 'ㄹㅇ', '잘한다', 'ㅠㅠ',
  ],
  ja: [
    'ｗｗｗ', '草', 'こんばんは', 'うますぎ', 'すごい', 'かわいい', 'おつ', 'それな', 'やば',
    'えぐい', 'なるほど', 'ナイス', 'ｗ', 'きたー', '神',
  ],
};

/** Chat about the game on screen, in English (the lingua franca of gaming chat). */
// prettier-ignore
export const GENRE_LINES: Readonly<Record<Genre, readonly string[]>> = {
  shooter: [
    'nice crosshair placement', 'eco round?', 'he is lurking', 'check the corner', 'what a flick',
    'rotate', 'hes one shot', 'buy a vandal', 'that spray', 'peek him', 'jett diff', 'ranked?',
  ],
  moba: [
    'jungle diff', 'ward bro', 'why no flash', 'gank top', 'report jungler', 'nice ult',
    'full build?', 'thats a throw', 'he is fed', 'baron now', 'what rank is this', 'first blood',
  ],
  rpg: [
    'try the other path', 'level up first', 'use the summon', 'parry it', 'dodge roll', 'lore',
    'he missed the item', 'go back to the bonfire', 'boss is weak to fire', 'sick build',
  ],
  talk: [
    'tell the story', 'react to this', 'what are you eating', 'how was your day', 'hydrate',
    'play a game', 'chat is wild today', 'storytime', 'read chat', 'say hi to mom',
  ],
  casino: [
    'max bet', 'bonus buy', 'here comes the big one', 'stop now', 'its rigged', 'what multi',
    'one more spin', 'dont do it', 'he is tilted', 'wild wild wild',
  ],
  sandbox: [
    'build a house', 'check the map', 'that RP was good', 'where are the diamonds', 'run',
    'need more wood', 'nice base', 'watch out creeper', 'go to the city', 'mine down',
  ],
  creative: [
    'this slaps', 'song name?', 'nice colors', 'play it again', 'so relaxing', 'beautiful',
    'add more bass', 'love the vibe', 'which brush is that', 'more reverb',
  ],
};

/** Questions newcomers ask, which commands and bots answer. */
// prettier-ignore
export const QUESTIONS = [
  'how long has he been live', 'what game is this', 'what rank is he', 'whats the sens',
  'is there a discord', 'what are his specs', 'how old is he', 'song name?', 'where is he from',
];

export const GREETINGS: ByLanguage = {
  en: ['hi', 'hello chat', 'hey', 'hi chat', 'yo chat', 'first', 'good morning', 'hey everyone'],
  es: ['hola', 'buenas', 'hola a todos'],
  pt: ['salve', 'oi', 'bom dia'],
  de: ['moin', 'hallo', 'servus'],
  fr: ['salut', 'bonjour', 'coucou'],
  ru: ['привет', 'всем привет', 'ку'],
  ko: ['안녕하세요', 'ㅎㅇ', '하이'],
  ja: ['こんにちは', 'こんばんは', 'わこつ'],
};

export const FAREWELLS: ByLanguage = {
  en: ['gn', 'good stream', 'gn chat', 'thanks for the stream', 'bye', 'see you tomorrow'],
  es: ['buenas noches', 'adios', 'gracias por el stream'],
  pt: ['boa noite', 'tchau', 'valeu pela live'],
  de: ['gute nacht', 'tschüss', 'danke für den stream'],
  fr: ['bonne nuit', 'à demain', 'merci pour le stream'],
  ru: ['спокойной ночи', 'пока', 'спасибо за стрим'],
  ko: ['수고하셨습니다', '잘자요', '바이'],
  ja: ['おつかれ', 'おやすみ', 'またね'],
};

/** Reactions to a moment on stream, shouted by many people at once. */
// prettier-ignore
export const REACTIONS: Readonly<Record<Mood, readonly string[]>> = {
  hype: [
    'LETS GOOO', 'LETS GOOOOO', 'NO WAY', 'HOLY', 'INSANE', 'CLIP IT', 'CLIP THAT', 'WHAT A PLAY',
    'HE DID IT', 'GGGG', 'OMG', 'no way', 'HOLY SHIT', 'W', 'WWWW',
  ],
  funny: [
    'LMAO', 'HAHAHA', 'im dead', 'CLIP IT', 'LMFAOOO', 'bro 💀', '💀💀💀', 'i cant', 'HAHAHAHA',
    'clip that', 'no way he said that',
  ],
  fail: [
    'NOOOO', 'F', 'FFFF', 'unlucky', 'bruh', 'THROW', 'how', 'what was that', 'L', 'its over',
  ],
  scary: ['AAAAAA', 'JUMPSCARE', 'nope', 'WHAT WAS THAT', 'im out', 'HELLO??', 'NOPE'],
  sad: ['F', 'rip', 'no...', 'sadge moment', 'FFFF', 'why'],
  vibe: ['BANGER', 'this slaps', 'TUNE', 'song?', 'VIBING', 'so good'],
};

/** How a language laughs and cheers, mixed into reactions in that language's channels. */
export const LOCAL_REACTIONS: ByLanguage = {
  es: ['JAJAJAJA', 'QUEEE', 'NOOO', 'VAMOOOS'],
  pt: ['KKKKKKKK', 'CARALHO', 'QUE ISSO', 'VAIII'],
  de: ['HAHAHA', 'ALTER', 'KRASS', 'LOS GEHTS'],
  fr: ['MDRRR', 'PTDRRR', 'OH NON', 'INCROYABLE'],
  ru: ['АХАХАХ', 'ЖЕСТЬ', 'ИМБА', 'ГООО'],
  ko: ['ㅋㅋㅋㅋㅋㅋㅋㅋ', 'ㄷㄷㄷㄷ', '와아아', '미쳤다'],
  ja: ['ｗｗｗｗｗ', '草草草', 'えぐ', 'きたああ'],
};

/** What raiders say on arrival; {raider} is the raiding channel. */
// prettier-ignore
export const RAID_LINES = [
  '{raider} RAID', '{raider} raid!!', 'hi from {raider} chat', 'RAID HYPE', '{raider} sent us',
  'hello from {raider}', 'raid raid raid', '{raider} loves you',
];

/** What a gift recipient or onlooker says after a gift bomb. */
export const GIFT_THANKS = [
  'thanks for the gift',
  'ty for the sub',
  'thank you!!',
  'W gifter',
  'generous',
];

/** Copypastas trolls paste over and over. */
export const COPYPASTAS = [
  'I am not a bot, I am a real person typing this message to say hi',
  'THIS IS MY FAVOURITE STREAMER EVERYONE FOLLOW',
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  'can you play my song can you play my song',
  'first time chatter long time watcher please notice me',
  'MODS MODS MODS MODS MODS',
];

/** The adverts spam bots post, with the link obfuscated the way they do to dodge filters. */
export const SPAM_ADVERTS = [
  'Cheap viewers on streamboost .example (remove the space)',
  'Wanna become famous? Buy followers, primes and viewers on bigfollows .example',
  'Hello, sorry for bothering you. I want to offer promotion of your channel, viewers, followers',
];
