import type { EdgeRequest } from '../http/edge-request';
import type { HttpReply } from '../http/reply';
import { ACCOUNT_ID, newId } from '../ids';
import { queryParams, xmlReply } from '../sns/sns-handler';
import { actionResponse, errorResponse, SQS_XML_NAMESPACE } from '../sns/xml';
import { isJsonObject, type JsonObject } from './input';
import { jsonOutputToXml, queryToJsonInput } from './query-protocol';

/** The AWS JSON 1.0 handler the query protocol is translated to. */
export type SqsJsonHandler = (request: EdgeRequest, operation: string) => Promise<HttpReply>;

/** An SQS query-protocol `<ErrorResponse>` in the SQS namespace. */
export function sqsQueryErrorReply(
  status: number,
  code: string,
  fault: 'Sender' | 'Receiver',
  message: string,
): HttpReply {
  const requestId = newId();
  return xmlReply(
    status,
    errorResponse(fault, code, message, requestId, SQS_XML_NAMESPACE),
    requestId,
  );
}

const QUEUE_PATH = new RegExp(`^/${ACCOUNT_ID}/[^/]+$`);

/** Old SDKs post to the queue URL itself and leave `QueueUrl` out of the form. */
function queueUrlOfPath(request: EdgeRequest): string | undefined {
  const path = request.url.pathname;
  return QUEUE_PATH.test(path) ? `http://${request.host}${path}` : undefined;
}

/**
 * The query code and fault of a JSON error answer: its `x-amzn-query-error` header, or for the
 * protocol layer's own errors (which have none) the query protocol's equivalent.
 */
function queryError(
  reply: HttpReply,
  body: JsonObject,
): { code: string; fault: 'Sender' | 'Receiver' } {
  const header = reply.headers['x-amzn-query-error'];
  if (header !== undefined) {
    const [code = 'InternalError', fault] = header.split(';');
    return { code, fault: fault === 'Receiver' ? 'Receiver' : 'Sender' };
  }
  const type = typeof body.__type === 'string' ? (body.__type.split('#').at(-1) ?? '') : '';
  if (type === 'UnknownOperationException') return { code: 'InvalidAction', fault: 'Sender' };
  return {
    code: type.replace(/Exception$/, ''),
    fault: reply.status >= 500 ? 'Receiver' : 'Sender',
  };
}

function parseJson(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  return isJsonObject(parsed) ? parsed : {};
}

/**
 * Creates the handler of SQS query-protocol requests (`Action=…&Version=2012-11-05`, as the AWS
 * CLI before 2.13.34 and SDKs of 2023 send them): the form is translated to the JSON input, run by
 * the JSON handler, and its answer rendered as XML in the SQS namespace, errors included.
 */
export function createSqsQueryHandler(json: SqsJsonHandler) {
  return async function handleSqsQueryRequest(request: EdgeRequest): Promise<HttpReply> {
    const params = queryParams(request);
    const action = params.get('Action') ?? '';
    if (action === '')
      return sqsQueryErrorReply(
        400,
        'MissingAction',
        'Sender',
        'The request must contain the parameter Action.',
      );
    const input = queryToJsonInput(action, params);
    const pathUrl = queueUrlOfPath(request);
    if (input.QueueUrl === undefined && pathUrl !== undefined) input.QueueUrl = pathUrl;
    const reply = await json({ ...request, body: Buffer.from(JSON.stringify(input)) }, action);
    const output = parseJson(reply.body);
    if (reply.status !== 200) {
      const { code, fault } = queryError(reply, output);
      const message =
        code === 'InvalidAction'
          ? `The action ${action} is not valid for this endpoint.`
          : typeof output.message === 'string'
            ? output.message
            : '';
      return sqsQueryErrorReply(reply.status, code, fault, message);
    }
    const requestId = reply.headers['x-amzn-requestid'] ?? newId();
    const document = actionResponse(
      action,
      jsonOutputToXml(action, output),
      requestId,
      SQS_XML_NAMESPACE,
    );
    return xmlReply(200, document, requestId);
  };
}
