import { describe, expect, it } from 'vitest';
import { parseStsCredentials, stsErrorOf, xmlText } from './aws-web-identity.ts';

describe("reading STS's XML", () => {
  it('takes the credentials whatever the prefixes, attributes, entities, CDATA and element order', () => {
    const xml = `<?xml version="1.0"?><sts:AssumeRoleWithWebIdentityResponse xmlns:sts="https://sts.amazonaws.com/doc/2011-06-15/">
      <sts:AssumeRoleWithWebIdentityResult><sts:Credentials>
        <sts:Expiration>2026-11-30T10:00:00Z</sts:Expiration>
        <sts:SessionToken><![CDATA[IQoJ/a+b==]]></sts:SessionToken>
        <sts:SecretAccessKey a="1">s3cr&amp;t</sts:SecretAccessKey>
        <sts:AccessKeyId>ASIAEXAMPLE</sts:AccessKeyId>
      </sts:Credentials></sts:AssumeRoleWithWebIdentityResult></sts:AssumeRoleWithWebIdentityResponse>`;
    expect(parseStsCredentials(xml)).toEqual({ credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's3cr&t', sessionToken: 'IQoJ/a+b==' }, expiration: Date.UTC(2026, 10, 30, 10) });
  });

  it('an answer missing a field or with a bad date holds no credentials', () => {
    expect(parseStsCredentials('<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><Expiration>2026-11-30T10:00:00Z</Expiration></Credentials>')).toBeUndefined();
    expect(parseStsCredentials('<Credentials><AccessKeyId>A</AccessKeyId><SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken><Expiration>soon</Expiration></Credentials>')).toBeUndefined();
    expect(parseStsCredentials('<html>502 Bad Gateway</html>')).toBeUndefined();
  });

  it("reads STS's error code and first line of its message", () => {
    const xml = '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity\nmore</Message></Error><RequestId>r</RequestId></ErrorResponse>';
    expect(stsErrorOf(xml)).toEqual({ code: 'AccessDenied', message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
    expect(xmlText('<A><B>&#x41;&#66;</B></A>', 'B')).toBe('AB');
  });
});
