import { attr, complex, multi, str, type SchemaDef } from './attribute.ts';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Stipend's extension: what the directory says about a person's AI budget tier. */
export const STIPEND_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:stipend:2.0:User';

// The core User (RFC 7643 §4.1, §8.7.1). Every attribute a client may send is accepted
// and returned as written; the ones Stipend uses are projected onto the person row.
export const userSchema: SchemaDef = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    str('userName', 'Unique identifier for the User, typically used to sign in. Unique among users, case-insensitively.', { required: true, uniqueness: 'server' }),
    complex('name', 'The components of the user\'s real name.', [
      str('formatted', 'The full name, including all middle names, titles, and suffixes as appropriate, formatted for display.'),
      str('familyName', 'The family name of the User, or last name.'),
      str('givenName', 'The given name of the User, or first name.'),
      str('middleName', 'The middle name(s) of the User.'),
      str('honorificPrefix', 'The honorific prefix(es) of the User, or title.'),
      str('honorificSuffix', 'The honorific suffix(es) of the User, or suffix.'),
    ]),
    str('displayName', 'The name of the User, suitable for display to end-users.'),
    str('nickName', 'The casual way to address the user in real life.'),
    attr('profileUrl', 'reference', 'A fully qualified URL pointing to a page representing the User\'s online profile.', { referenceTypes: ['external'] }),
    str('title', 'The user\'s title, such as "Vice President". Team memberSelectors can match it; it can give the job level.'),
    str('userType', 'The relationship between the organization and the user (Employee, Contractor, Intern, …). Team memberSelectors match it as employeeType.'),
    str('preferredLanguage', 'The User\'s preferred written or spoken language.'),
    str('locale', 'The User\'s default location for localizing items such as currency and dates.'),
    str('timezone', 'The User\'s time zone in the "Olson" time zone database format.'),
    attr('active', 'boolean', 'The User\'s administrative status. false: the person\'s keys stop working on every gateway replica.'),
    str('password', 'Not kept: Stipend does not hold passwords.', { mutability: 'writeOnly', returned: 'never', caseExact: true }),
    multi('emails', 'Email addresses for the user. The primary (else work, else first) address is the person\'s Stipend identity.', str('value', 'Email address for the User.'), ['work', 'home', 'other']),
    multi('phoneNumbers', 'Phone numbers for the User.', str('value', 'Phone number of the User.'), ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multi('ims', 'Instant messaging addresses for the User.', str('value', 'Instant messaging address for the User.'), ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multi('photos', 'URLs of photos of the User.', attr('value', 'reference', 'URL of a photo of the User.', { referenceTypes: ['external'] }), ['photo', 'thumbnail']),
    complex(
      'addresses',
      'A physical mailing address for this User.',
      [
        str('formatted', 'The full mailing address, formatted for display or use with a mailing label.'),
        str('streetAddress', 'The full street address component.'),
        str('locality', 'The city or locality component.'),
        str('region', 'The state or region component.'),
        str('postalCode', 'The zip code or postal code component.'),
        str('country', 'The country name component.'),
        str('type', 'A label indicating the attribute\'s function.', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean', 'A Boolean value indicating the \'primary\' or preferred attribute value for this attribute.'),
      ],
      { multiValued: true, maxItems: 100 },
    ),
    complex(
      'groups',
      'The groups the user belongs to (read-only: membership is written on the Group).',
      [
        str('value', 'The identifier of the User\'s group.', { mutability: 'readOnly' }),
        attr('$ref', 'reference', 'The URI of the corresponding Group resource.', { mutability: 'readOnly', referenceTypes: ['Group'] }),
        str('display', 'A human-readable name, primarily used for display purposes.', { mutability: 'readOnly' }),
        str('type', 'direct or indirect.', { mutability: 'readOnly', canonicalValues: ['direct', 'indirect'] }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    multi('entitlements', 'A list of entitlements for the User.', str('value', 'The value of an entitlement.'), []),
    multi('roles', 'A list of roles for the User.', str('value', 'The value of a role.'), []),
    multi('x509Certificates', 'A list of certificates issued to the User.', attr('value', 'binary', 'The value of an X.509 certificate.'), []),
  ],
};

export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    str('employeeNumber', 'Numeric or alphanumeric identifier assigned to a person by the organization.'),
    str('costCenter', 'Identifies the name of a cost center. Team memberSelectors can match it.'),
    str('organization', 'Identifies the name of an organization.'),
    str('division', 'Identifies the name of a division. Team memberSelectors can match it.'),
    str('department', 'Identifies the name of a department. Team memberSelectors can match it.'),
    complex('manager', 'The User\'s manager. A bare string is read as the manager\'s id (Microsoft Entra ID sends that).', [
      str('value', 'The id of the SCIM resource representing the User\'s manager.'),
      attr('$ref', 'reference', 'The URI of the SCIM resource representing the User\'s manager.', { referenceTypes: ['User'] }),
      str('displayName', 'The displayName of the User\'s manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const stipendUserSchema: SchemaDef = {
  id: STIPEND_USER_SCHEMA,
  name: 'StipendUser',
  description: 'What Stipend needs beyond the enterprise extension to place a person in a budget tier',
  attributes: [
    attr('jobLevel', 'integer', 'The person\'s job level, matched by Budget and ModelPolicy jobLevels and Team memberSelector jobLevels. When absent, the server may derive it from another attribute (STIPEND_SCIM_JOB_LEVEL_FROM).'),
  ],
};
