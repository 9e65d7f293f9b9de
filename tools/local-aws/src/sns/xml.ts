/** An XML element: name and text, children, or nothing (then omitted). */
export type XmlNode = readonly [name: string, content: XmlContent];
/** What an element holds. */
export type XmlContent = string | number | boolean | readonly XmlNode[] | undefined;

/** The namespace of SNS responses. */
export const SNS_XML_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';
/** The namespace of SQS query-protocol responses. */
export const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"'\r]/g, (char) => ESCAPES[char] ?? char);
}

/** Renders elements; those with undefined content are left out. */
export function renderXml(nodes: readonly XmlNode[]): string {
  return nodes
    .map(([name, content]) => {
      if (content === undefined) return '';
      const inner = typeof content === 'object' ? renderXml(content) : escapeXml(String(content));
      return `<${name}>${inner}</${name}>`;
    })
    .join('');
}

/** A query-protocol list: `<member>` elements. */
export function members(items: readonly (readonly XmlNode[])[]): XmlNode[] {
  return items.map((item) => ['member', item]);
}

/** A query-protocol map: `<entry><key/><value/></entry>` elements. */
export function entries(map: ReadonlyMap<string, string>): XmlNode[] {
  return [...map].map(([key, value]) => [
    'entry',
    [
      ['key', key],
      ['value', value],
    ],
  ]);
}

/**
 * The `<{Action}Response>` document, with a `<{Action}Result>` when the action has one, in
 * SNS's namespace unless told.
 */
export function actionResponse(
  action: string,
  result: readonly XmlNode[] | undefined,
  requestId: string,
  namespace = SNS_XML_NAMESPACE,
): string {
  const body: XmlNode[] = [];
  if (result !== undefined) body.push([`${action}Result`, result]);
  body.push(['ResponseMetadata', [['RequestId', requestId]]]);
  return `<?xml version="1.0"?><${action}Response xmlns="${namespace}">${renderXml(body)}</${action}Response>`;
}

/** The `<ErrorResponse>` document of a query-protocol error (SNS's namespace unless told). */
export function errorResponse(
  type: string,
  code: string,
  message: string,
  requestId: string,
  namespace = SNS_XML_NAMESPACE,
): string {
  const error: XmlNode = [
    'Error',
    [
      ['Type', type],
      ['Code', code],
      ['Message', message],
    ],
  ];
  return `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}">${renderXml([error, ['RequestId', requestId]])}</ErrorResponse>`;
}
