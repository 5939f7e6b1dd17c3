import { addressParts } from './address';
import { isValidFiness, withFinessKey } from './finess';

const chateaudun = { name: 'Châteaudun', postcodes: ['28200'] };

describe('addressParts', () => {
  it('splits a trailing postcode and city off the line', () => {
    expect(addressParts('12 rue de la République, 28200 Châteaudun', {}, chateaudun)).toEqual({ line: '12 rue de la République', postcode: '28200', city: 'Châteaudun' });
    expect(addressParts('25 chemin de Mounestié 31840 Aussonne', {}, { name: 'Aussonne', postcodes: ['31840'] })).toEqual({ line: '25 chemin de Mounestié', postcode: '31840', city: 'Aussonne' });
  });

  it('takes the commune’s postcode and name when the address has none', () => {
    expect(addressParts('3 place du Marché', {}, chateaudun)).toEqual({ line: '3 place du Marché', postcode: '28200', city: 'Châteaudun' });
    // Several postcodes (Paris arrondissements, big towns): the lowest, unless typed.
    expect(addressParts('1 rue X', {}, { name: 'Toulouse', postcodes: ['31500', '31000', '31100'] }).postcode).toBe('31000');
  });

  it('prefers what was typed', () => {
    expect(addressParts('1 rue X', { postcode: '31100', city: 'Toulouse' }, { name: 'Toulouse', postcodes: ['31000'] })).toEqual({ line: '1 rue X', postcode: '31100', city: 'Toulouse' });
  });

  it('keeps a number that is not a postcode in the line', () => {
    expect(addressParts('Résidence 12345, bâtiment B', {}, chateaudun).line).toBe('Résidence 12345, bâtiment B');
  });
});

describe('FINESS', () => {
  it('accepts numbers whose Luhn key is right', () => {
    expect(isValidFiness('950047225')).toBe(true); // the SAS guide's example CPTS
    expect(isValidFiness('750712184')).toBe(true);
    expect(isValidFiness('950047226')).toBe(false);
    expect(isValidFiness('2A0000000')).toBe(false);
    expect(isValidFiness('95004722')).toBe(false);
    expect(isValidFiness(withFinessKey('28000123'))).toBe(true);
  });
});
