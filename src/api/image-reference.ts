// Image references as distribution/reference parses them
// (`[domain[:port]/]path[:tag][@digest]`), so `service create` refuses a
// reference Docker would refuse, with swarmkit's words:
// `"Nginx" is not a valid repository/tag`.

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

const NAME_TOTAL_LENGTH_MAX = 255;

export interface ImageReference {
  /** Registry host, when the reference names one (`localhost:5000`, `docker-registry.io`). */
  readonly domain?: string;
  /** Repository path (`library/nginx` is written `nginx`). */
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * The parts of a reference, or undefined when Docker would refuse it. As in
 * ParseNormalizedNamed, a first component is a registry only when it has a
 * `.` or `:` or is `localhost`; otherwise it must be a lowercase path.
 */
export function parseImageReference(text: string): ImageReference | undefined {
  const m = REFERENCE.exec(text);
  if (m === null) return undefined;
  let domain = m[1];
  let path = m[2] ?? '';
  if (domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost' && domain !== domain.toLowerCase()) {
    return undefined; // "Foo/bar": an upper-case first path component, not a registry
  }
  if (domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost') {
    // "foo/bar": the first component is part of the path.
    path = `${domain}/${path}`;
    domain = undefined;
  }
  if ((domain === undefined ? path : `${domain}/${path}`).length > NAME_TOTAL_LENGTH_MAX) return undefined;
  return {
    ...(domain !== undefined ? { domain } : {}),
    path,
    ...(m[3] !== undefined ? { tag: m[3] } : {}),
    ...(m[4] !== undefined ? { digest: m[4] } : {}),
  };
}

export function isValidImageReference(text: string): boolean {
  return parseImageReference(text) !== undefined;
}
