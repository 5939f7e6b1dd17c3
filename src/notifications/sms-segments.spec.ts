import { smsSegments, toGsm7 } from './sms-segments';

const a = (n: number) => 'a'.repeat(n);

describe('smsSegments', () => {
  it('counts an empty text as one empty GSM-7 segment', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 1 });
  });

  it('fits 160 GSM-7 septets in one segment and 153 per part beyond', () => {
    expect(smsSegments(a(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments(a(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments(a(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(smsSegments(a(307))).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
  });

  it('counts extension-table characters as 2 septets', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', units: 2, segments: 1 });
    expect(smsSegments('€'.repeat(80)).segments).toBe(1);
    expect(smsSegments(a(1) + '€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    for (const c of ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f']) expect(smsSegments(c).units).toBe(2);
  });

  it('never splits an escape pair across two parts', () => {
    // 306 septets, but the € cannot start at septet 153 of part one, so part two overflows.
    expect(smsSegments(a(152) + '€' + a(152))).toEqual({ encoding: 'GSM-7', units: 306, segments: 3 });
    expect(smsSegments(a(151) + '€' + a(153))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
  });

  it('knows the GSM-7 basic set, including its accents and Greek capitals', () => {
    const basic = 'éèùìòÇØøÅåÄÖÑÜäöñüàÉÆæß§¡¿£¥@$¤_ΔΦΓΛΩΠΨΣΘΞ\n\r';
    expect(smsSegments(basic)).toEqual({ encoding: 'GSM-7', units: [...basic].length, segments: 1 });
    expect(smsSegments('é'.repeat(160)).segments).toBe(1);
  });

  it.each(['ê', 'â', 'î', 'ô', 'û', 'ë', 'ï', 'ç', 'œ', '’', '«', '»', '…', 'α', '\u00a0', '\t', '\u001b'])(
    'switches to UCS-2 for %j',
    (c) => expect(smsSegments(`Bonjour ${c}`)).toEqual({ encoding: 'UCS-2', units: 9, segments: 1 }),
  );

  it('fits 70 UCS-2 units in one segment and 67 per part beyond', () => {
    expect(smsSegments('ê'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('ê'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(smsSegments('ê'.repeat(134))).toEqual({ encoding: 'UCS-2', units: 134, segments: 2 });
    expect(smsSegments('ê'.repeat(135))).toEqual({ encoding: 'UCS-2', units: 135, segments: 3 });
  });

  it('counts an emoji as 2 UTF-16 units and switches the whole text to UCS-2', () => {
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', units: 2, segments: 1 });
    expect(smsSegments(a(68) + '😀')).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments(a(69) + '😀')).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    // The surrogate pair would straddle units 67/68: it moves whole to part two.
    expect(smsSegments(a(66) + '😀' + a(66))).toEqual({ encoding: 'UCS-2', units: 134, segments: 3 });
  });
});

describe('toGsm7', () => {
  it.each([
    ['Empêchement : prévenez le cabinet', 'Empechement : prévenez le cabinet'],
    ['Fête à Noël, île, hôtel, sûr', 'Fete à Noel, ile, hotel, sur'],
    ['Ça reste ; garçon', 'Ça reste ; garcon'],
    ['L’œuvre de Œdipe', "L'oeuvre de OEdipe"],
    ['« Oui » “non” ‘peut-être’', '" Oui " "non" \'peut-etre\''],
    ['8h–12h — attente…', '8h-12h - attente...'],
    ['n°\u00a012\u202f!', 'n? 12 !'],
    ['Zoë, Loïc, L’Haÿ-les-Roses', "Zoe, Loic, L'Hay-les-Roses"],
    ['Ángel Íñigo Ústí Óscar', 'Angel Iñigo Usti Oscar'],
    ['Åsa Ørsted Müller Straße', 'Åsa Ørsted Müller Straße'],
    ['Łódź', '?odz'],
    ['Merci 😀', 'Merci ?'],
    ['Merci 👍🏽', 'Merci ??'],
    ['Prix : 25 € [tarif]', 'Prix : 25 € [tarif]'],
    ['e\u0301te\u0301', 'été'],
  ])('%j → %j', (input, expected) => {
    expect(toGsm7(input)).toBe(expected);
    expect(smsSegments(toGsm7(input)).encoding).toBe('GSM-7');
  });

  it('drops invisible characters (zero-width joiner, variation selector)', () => {
    expect(toGsm7('a\u200bb\ufe0fc')).toBe('abc');
  });

  it('is idempotent', () => {
    const once = toGsm7('Hélène Lefèvre – côté « cour » 😀');
    expect(toGsm7(once)).toBe(once);
  });
});
