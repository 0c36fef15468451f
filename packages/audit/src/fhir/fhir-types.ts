/**
 * A FHIR R4 Coding.
 *
 * @example
 * ```ts
 * const coding: FhirCoding = { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' };
 * ```
 */
export interface FhirCoding {
  readonly system: string;
  readonly code: string;
  readonly display?: string;
}

/**
 * A FHIR R4 Reference, by literal reference, identifier or display.
 *
 * @example
 * ```ts
 * const who: FhirReference = { identifier: { value: userId } };
 * ```
 */
export interface FhirReference {
  readonly reference?: string;
  readonly type?: string;
  readonly identifier?: { readonly system?: string; readonly value: string };
  readonly display?: string;
}

/**
 * The FHIR R4 AuditEvent this package exports (the subset of elements it fills).
 *
 * @example
 * ```ts
 * const resource: FhirAuditEvent = toFhirAuditEvent(log, { observer: { display: 'clinic-api' } });
 * resource.resourceType; // 'AuditEvent'
 * ```
 */
export interface FhirAuditEvent {
  readonly resourceType: 'AuditEvent';
  readonly id: string;
  readonly meta?: { readonly profile: readonly string[] };
  readonly type: FhirCoding;
  readonly subtype?: readonly FhirCoding[];
  readonly action?: 'C' | 'R' | 'U' | 'D' | 'E';
  readonly recorded: string;
  readonly outcome: '0' | '4' | '8' | '12';
  readonly outcomeDesc?: string;
  readonly purposeOfEvent?: readonly { readonly coding: readonly FhirCoding[] }[];
  readonly agent: readonly {
    readonly type?: { readonly coding: readonly FhirCoding[] };
    readonly who?: FhirReference;
    readonly requestor: boolean;
    readonly network?: { readonly address: string; readonly type: '1' | '2' };
    readonly purposeOfUse?: readonly { readonly coding: readonly FhirCoding[] }[];
  }[];
  readonly source: {
    readonly site?: string;
    readonly observer: FhirReference;
    readonly type?: readonly FhirCoding[];
  };
  readonly entity?: readonly {
    readonly what?: FhirReference;
    readonly type?: FhirCoding;
    readonly role?: FhirCoding;
    readonly query?: string;
    readonly detail?: readonly { readonly type: string; readonly valueString: string }[];
  }[];
}

/**
 * A FHIR R4 Bundle of type `collection` holding AuditEvents.
 *
 * @example
 * ```ts
 * const bundle: FhirAuditBundle = toFhirBundle(logs, options);
 * bundle.entry.length; // logs.length
 * ```
 */
export interface FhirAuditBundle {
  readonly resourceType: 'Bundle';
  readonly id: string;
  readonly type: 'collection';
  readonly timestamp: string;
  readonly entry: readonly { readonly fullUrl: string; readonly resource: FhirAuditEvent }[];
}
