import 'reflect-metadata';
import { PartialType } from '@nestjs/mapped-types';
import { plainToInstance, Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, Max, MaxLength, validate, ValidateNested, ValidationError } from 'class-validator';
import { cacheValidationMetadata } from './metadata-cache';

cacheValidationMetadata();

class Patient {
  @IsString()
  @MaxLength(5)
  firstName!: string;
}

class Body {
  @IsInt()
  n!: number;

  @ValidateNested()
  @Type(() => Patient)
  patient!: Patient;
}

class Child extends Body {
  @IsString()
  note!: string;
}

class Optional extends PartialType(Body) {}

/** Each failed rule as `field:rule`, nested fields dotted. */
function fields(e: ValidationError, prefix = ''): string[] {
  const field = prefix + e.property;
  return [...Object.keys(e.constraints ?? {}).map((c) => `${field}:${c}`), ...(e.children ?? []).flatMap((c) => fields(c, `${field}.`))];
}

const failures = async (cls: new () => object, plain: object) =>
  (await validate(plainToInstance(cls, plain), { whitelist: true, forbidNonWhitelisted: true })).flatMap((e) => fields(e)).sort();

describe('cacheValidationMetadata', () => {
  it('validates as class-validator does, nested, inherited and partial classes included, every time', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await failures(Body, { n: 1, patient: { firstName: 'Léa' } })).toEqual([]);
      expect(await failures(Body, { n: 'x', patient: { firstName: 'Léonore' }, extra: 1 })).toEqual(['extra:whitelistValidation', 'n:isInt', 'patient.firstName:maxLength']);
      expect(await failures(Child, { n: 2, patient: { firstName: 'Léa' } })).toEqual(['note:isString']);
      expect(await failures(Optional, {})).toEqual([]);
      expect(await failures(Optional, { n: 'x' })).toEqual(['n:isInt']);
    }
  });

  it('reads a class’s rules once, and again once a rule is added', async () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Body, '', false, false);
    expect(storage.getTargetValidationMetadatas(Body, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(storage.getTargetValidationMetadatas(Body, '', false, false, ['other'])).not.toBe(first);

    // A rule written after the first validation (a class loaded later does this) is seen.
    class Late {
      @IsInt()
      n!: number;
    }
    expect(await failures(Late, { n: 50 })).toEqual([]);
    Max(10)(Late.prototype, 'n');
    expect(await failures(Late, { n: 50 })).toEqual(['n:max']);
    expect(storage.getTargetValidationMetadatas(Body, '', false, false)).not.toBe(first);
  });

  it('refuses that a caller change the rules it was given, for everyone after it', () => {
    const storage = getMetadataStorage();
    const rules = storage.getTargetValidationMetadatas(Body, '', false, false);
    // (The error's class is not compared: run beside the e2e project, it may come from another realm.)
    expect(Object.isFrozen(rules)).toBe(true);
    expect(() => (rules as unknown[]).push({})).toThrow(/not extensible/);
    const byField = storage.groupByPropertyName(rules);
    expect(Object.isFrozen(byField) && Object.isFrozen(byField.n)).toBe(true);
    expect(() => byField.n.pop()).toThrow(/Cannot delete/);
    expect(Object.keys(storage.groupByPropertyName(storage.getTargetValidationMetadatas(Body, '', false, false))).sort()).toEqual(['n', 'patient']);
  });
});
