// X.501 distinguished names: the subject and issuer of certificates and
// requests. Only the three attributes swarm uses are written (O, OU, CN, in
// that order, as Go's crypto/x509 writes them), one attribute per RDN.
import { OID } from './oids.js';
import { oid, sequence, setOf, TAG, utf8String } from './der-encode.js';
import { children, decodeOid, decodeString, expectTag, malformed, type Tlv } from './der-decode.js';

export interface DistinguishedName {
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly commonName?: string;
}

export interface NameAttribute {
  readonly oid: string;
  readonly value: string;
}

export function encodeName(name: DistinguishedName): Uint8Array {
  const rdns: Uint8Array[] = [];
  const add = (type: string, value: string | undefined): void => {
    if (value !== undefined) rdns.push(setOf(sequence(oid(type), utf8String(value))));
  };
  add(OID.organizationName, name.organization);
  add(OID.organizationalUnitName, name.organizationalUnit);
  add(OID.commonName, name.commonName);
  return sequence(...rdns);
}

/** Every attribute of a Name, flattened in order (multi-valued RDNs included). */
export function decodeName(t: Tlv): NameAttribute[] {
  expectTag(t, TAG.sequence, 'Name');
  const out: NameAttribute[] = [];
  for (const rdn of children(t)) {
    expectTag(rdn, TAG.set, 'RelativeDistinguishedName');
    const attributes = children(rdn);
    if (attributes.length === 0) throw malformed('empty RelativeDistinguishedName');
    for (const attribute of attributes) {
      const [type, value, extra] = children(expectTag(attribute, TAG.sequence, 'AttributeTypeAndValue'));
      if (type === undefined || value === undefined || extra !== undefined) throw malformed('AttributeTypeAndValue');
      const typeOid = decodeOid(type);
      // Unknown attribute types may carry any ASN.1 value; only our three must be strings.
      const known = typeOid === OID.commonName || typeOid === OID.organizationName || typeOid === OID.organizationalUnitName;
      out.push({ oid: typeOid, value: known ? decodeString(value) : '' });
    }
  }
  return out;
}

/** The values of one attribute type in a decoded name. */
export function valuesOf(attributes: readonly NameAttribute[], type: string): string[] {
  return attributes.filter((a) => a.oid === type).map((a) => a.value);
}
