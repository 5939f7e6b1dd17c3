import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, Equals, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IDNPS_SYSTEM, SAS_SYSTEM } from '../fhir-codes';

/**
 * The regulator the SAS platform sends (INT_R02, profile FrPractitionerRegul): what we read of it.
 * Other elements (text, extension, meta…) are allowed and ignored.
 */
class CodingDto {
  @IsOptional() @IsString({ message: 'coding.system doit être du texte' }) system?: string;
  @IsOptional() @IsString({ message: 'coding.code doit être du texte' }) code?: string;
}

class CodeableConceptDto {
  @IsOptional() @IsArray({ message: 'type.coding doit être une liste' }) @ValidateNested({ each: true }) @Type(() => CodingDto)
  coding?: CodingDto[];
}

export class IdentifierDto {
  @IsOptional() @IsObject({ message: 'identifier.type doit être un objet' }) @ValidateNested() @Type(() => CodeableConceptDto)
  type?: CodeableConceptDto;

  @IsIn([IDNPS_SYSTEM, SAS_SYSTEM], { message: `identifier.system doit être ${IDNPS_SYSTEM} (IDNPS) ou ${SAS_SYSTEM} (identifiant SAS)` })
  system: string;

  @IsString({ message: 'identifier.value doit être du texte' })
  @Matches(/^[0-9A-Za-z][0-9A-Za-z/.-]*$/, { message: 'identifier.value : chiffres, lettres, « / », « . » ou « - », sans espace' })
  @MaxLength(100)
  value: string;
}

class HumanNameDto {
  @IsString({ message: 'name.family doit être du texte' }) @Matches(/\S/, { message: 'name.family ne doit pas être vide' }) @MaxLength(100)
  family: string;

  @IsArray({ message: 'name.given doit être une liste de prénoms' }) @ArrayMinSize(1, { message: 'name.given : au moins un prénom' }) @ArrayMaxSize(5)
  @IsString({ each: true, message: 'name.given : des prénoms (texte)' }) @Matches(/\S/, { each: true, message: 'name.given ne doit pas contenir de prénom vide' }) @MaxLength(100, { each: true })
  given: string[];
}

class ContactPointDto {
  @IsIn(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other'], { message: 'telecom.system inconnu' })
  system: string;

  @IsString({ message: 'telecom.value doit être du texte' }) @MaxLength(254)
  value: string;
}

class MetaDto {
  @IsOptional() @IsString() source?: string;
}

export class RegulatorPractitionerDto {
  @Equals('Practitioner', { message: 'resourceType doit être Practitioner' })
  resourceType: string;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => MetaDto)
  meta?: MetaDto;

  @IsArray({ message: 'identifier est obligatoire (une liste)' }) @ArrayMinSize(1, { message: 'identifier : un identifiant IDNPS ou SAS est obligatoire' }) @ArrayMaxSize(5)
  @ValidateNested({ each: true }) @Type(() => IdentifierDto)
  identifier: IdentifierDto[];

  @IsBoolean({ message: 'active est obligatoire (true ou false)' })
  active: boolean;

  @IsArray({ message: 'name est obligatoire (une liste)' }) @ArrayMinSize(1, { message: 'name : le nom et le prénom sont obligatoires' }) @ArrayMaxSize(5)
  @ValidateNested({ each: true }) @Type(() => HumanNameDto)
  name: HumanNameDto[];

  @IsArray({ message: 'telecom est obligatoire (une liste, avec l’adresse e-mail)' }) @ArrayMinSize(1, { message: 'telecom : l’adresse e-mail est obligatoire' }) @ArrayMaxSize(10)
  @ValidateNested({ each: true }) @Type(() => ContactPointDto)
  telecom: ContactPointDto[];
}
