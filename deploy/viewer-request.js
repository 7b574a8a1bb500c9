// vips-edge viewer-request CloudFront Function (runtime cloudfront-js-2.0).
// Runs before the cache lookup and gives every image ONE cache key:
// 1. the query string becomes the canonical query: only URL API parameters, canonical
//    names (width -> w), table order, canonical spellings (jpg -> jpeg, dpr=2.0 -> 2,
//    bg=F00 -> ff0000), defaults dropped (dpr=1, enlarge=0, fit=cover with w and h);
//    a repeated, empty or undecodable value is kept as given so the origin-request
//    function still answers 400. The origin-request function computes the same form
//    (src/api/canonical.cpp) and URL signatures are defined over it.
// 2. x-vips-edge-accept: only for format=auto, exactly "avif" (the viewer lists
//    image/avif and image/webp with q > 0), "webp" (image/webp only) or "other";
//    removed otherwise, so the Accept split never touches an image whose format does
//    not depend on it. A viewer cannot inject it.
// 3. x-vips-edge-hints: only when the canonical query gives w, dpr or q as "auto",
//    the viewer's client hints rounded up to LADDER, e.g. "dpr=2,w=640,sd=1" (the
//    rule of src/api/client_hints.hpp); removed otherwise. The URL keeps "auto".
// The table between the GENERATED markers comes from src/api/params.json; the text
// above the Node-only marker line is embedded in template.yaml (FunctionCode), comment lines dropped.
// tests/cases/canonical.json, accept.json and hints.json hold the cases both this
// function (deploy/test) and the C++ (tests/native) must answer alike.
// BEGIN GENERATED from src/api/params.json by tools/params/generate.mjs (do not edit)
// n name, a aliases, k d=decimal c=colour (normalised spellings), v value aliases,
// d default, w [params..., default when all of them are given], x conflicts,
// h the x-vips-edge-hints key its value auto asks for.
var PARAMS = [
    {"n":"preset"},
    {"n":"w","a":["width"],"h":"w"},
    {"n":"h","a":["height"]},
    {"n":"dpr","k":"d","d":"1","h":"dpr"},
    {"n":"fit","d":"inside","w":["w","h","cover"]},
    {"n":"pos","a":["gravity"],"d":"center","x":["fp"]},
    {"n":"fp","k":"d","x":["pos"]},
    {"n":"enlarge","d":"0"},
    {"n":"rect"},
    {"n":"trim"},
    {"n":"rot","a":["rotate"]},
    {"n":"flip"},
    {"n":"blur","k":"d"},
    {"n":"sharpen","k":"d"},
    {"n":"anim","d":"1"},
    {"n":"format","a":["fm"],"v":{"jpg":"jpeg"}},
    {"n":"progressive","d":"0"},
    {"n":"q","a":["quality"],"h":"sd"},
    {"n":"bg","k":"c"},
    {"n":"wm"},
    {"n":"wms","k":"d"},
    {"n":"wmo","k":"d"},
    {"n":"exp"},
    {"n":"sig"}
];
// The client-hint ladder (src/api/config.hpp ClientHintsConfig defaults).
var LADDER = {"widths":[320,480,640,768,1024,1280,1536,1920,2560],"dprs":[1,2,3]};
// END GENERATED

var BY_NAME = {};
PARAMS.forEach(function (p, i) {
    BY_NAME[p.n] = i;
    (p.a || []).forEach(function (a) { BY_NAME[a] = i; });
});
// All defaults dropped must still read as a transform: the first plain default stands in.
var MARKER = PARAMS.filter(function (p) { return p.d !== undefined && !p.w; })[0];

// application/x-www-form-urlencoded, like the C++ (query.cpp); null when undecodable.
function decode(s) {
    try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch (e) {
        return null;
    }
}

function encode(s) {
    return encodeURIComponent(s).replace(/%2C/g, ',');
}

// One spelling per value, applied only to values of the right grammar (so an invalid
// value stays invalid): value aliases, lower-case 6-digit colours, decimals without
// trailing fractional zeros.
function normalise(p, v) {
    if (p.v && Object.prototype.hasOwnProperty.call(p.v, v)) return p.v[v];
    if (p.k === 'c' && /^([0-9a-fA-F]{3}){1,2}$/.test(v)) {
        v = v.toLowerCase();
        return v.length === 3 ? v[0] + v[0] + v[1] + v[1] + v[2] + v[2] : v;
    }
    if (p.k === 'd') {
        var parts = v.split(',');
        for (var i = 0; i < parts.length; i++) {
            var d = parts[i];
            if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(d) || d.replace('.', '').length > 15) return v;
            parts[i] = d.indexOf('.') < 0 ? d : d.replace(/\.?0+$/, '');
        }
        return parts.join(',');
    }
    return v;
}

// querystring: CloudFront's object ({name: {value, multiValue?}}, names and values as
// the viewer sent them). Returns the canonical query string (no '?').
function canonicalQuery(querystring) {
    var given = [];
    Object.keys(querystring).forEach(function (raw) {
        var name = decode(raw);
        var i = name === null ? undefined : BY_NAME[name];
        if (i === undefined) return;
        var q = querystring[raw];
        var list = q.multiValue && q.multiValue.length ? q.multiValue : [q];
        list.forEach(function (e) {
            var v = decode(e.value);
            (given[i] = given[i] || []).push(v === null ? { raw: e.value } : v);
        });
    });
    var has = function (n) { return given[BY_NAME[n]] !== undefined; };
    var out = [];
    var dropped = false;
    PARAMS.forEach(function (p, i) {
        var values = given[i];
        if (!values) return;
        if (values.length === 1 && typeof values[0] === 'string') {
            var v = normalise(p, values[0]);
            var def = p.w && p.w.slice(0, -1).every(has) ? p.w[p.w.length - 1] : p.d;
            if (v === def && !(p.x || []).some(has)) {
                dropped = true;
                return;
            }
            values = [v];
        }
        values.forEach(function (v) {
            out.push(p.n + '=' + (typeof v === 'string' ? encode(v) : v.raw));
        });
    });
    if (dropped && (out.length === 0 || out[0].indexOf('sig=') === 0)) out.unshift(MARKER.n + '=' + MARKER.d);
    return out.join('&');
}

// RFC 9110 media ranges, the rule of src/api/accept.cpp: type/subtype and parameter
// names case-insensitive, ',' and ';' inside quoted strings do not split, a range with
// a malformed q is ignored, image/webp;q=0 anywhere refuses, wildcards do not count.
// The same rule for image/avif.
function split(s, sep) {
    var out = [];
    var quoted = false;
    var start = 0;
    for (var i = 0; i < s.length; i++) {
        var c = s[i];
        if (quoted && c === '\\') i++;
        else if (c === '"') quoted = !quoted;
        else if (!quoted && c === sep) {
            out.push(s.slice(start, i));
            start = i + 1;
        }
    }
    out.push(s.slice(start));
    return out;
}

function trim(s) {
    return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

function acceptsImage(accept, type) {
    var seen = false;
    var ranges = split(accept, ',');
    for (var i = 0; i < ranges.length; i++) {
        var parts = split(ranges[i], ';');
        if (trim(parts[0]).toLowerCase() !== type) continue;
        var q = '1';
        for (var j = 1; j < parts.length; j++) {
            var eq = parts[j].indexOf('=');
            if (eq >= 0 && /^q$/i.test(trim(parts[j].slice(0, eq)))) q = trim(parts[j].slice(eq + 1));
        }
        if (!/^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(q)) continue;
        if (!(parseFloat(q) > 0)) return false;
        seen = true;
    }
    return seen;
}

function acceptsWebp(accept) {
    return acceptsImage(accept, 'image/webp');
}

function acceptsAvif(accept) {
    return acceptsImage(accept, 'image/avif');
}

// The bucket format=auto's cache key splits on: AVIF only with WebP too.
function acceptBucket(accept) {
    if (!acceptsWebp(accept)) return 'other';
    return acceptsAvif(accept) ? 'avif' : 'webp';
}

// Client hints: the one value of a header (none when repeated), Sec-CH-X before
// the legacy X; a malformed hint counts as absent.
function one(headers, name) {
    var h = headers[name];
    return !h || (h.multiValue && h.multiValue.length > 1) ? undefined : h.value;
}

function hint(headers, name, legacy, re) {
    var v = headers[name] ? one(headers, name) : legacy ? one(headers, legacy) : undefined;
    return v !== undefined && re.test(v) && parseFloat(v) > 0 ? parseFloat(v) : undefined;
}

// The smallest rung >= v, else the top one.
function up(ladder, v) {
    for (var i = 0; i < ladder.length; i++) if (ladder[i] >= v) return ladder[i];
    return ladder[ladder.length - 1];
}

// asked: {dpr, w, sd} -> "dpr=2,w=640,sd=1" (only the keys asked, in this order).
function hintsHeader(asked, headers) {
    var INT = /^[0-9]{1,5}$/;
    var dpr = hint(headers, 'sec-ch-dpr', 'dpr', /^[0-9]{1,2}(\.[0-9]{1,3})?$/);
    var out = [];
    if (asked.dpr) out.push('dpr=' + (dpr ? up(LADDER.dprs, dpr) : 1));
    if (asked.w) {
        var vw = hint(headers, 'sec-ch-viewport-width', '', INT);
        var device = hint(headers, 'sec-ch-width', 'width', INT) || (vw && Math.ceil(vw * (dpr || 1)));
        out.push('w=' + (device ? up(LADDER.widths, device) : 'none'));
    }
    if (asked.sd) out.push('sd=' + (/^on$/i.test((one(headers, 'save-data') || '').replace(/[ \t]/g, '')) ? 1 : 0));
    return out.join(',');
}

function handler(event) {
    var request = event.request;
    var headers = request.headers;
    var query = canonicalQuery(request.querystring || {});
    request.querystring = query;
    delete headers['x-vips-edge-accept'];
    if (/(^|&)format=auto(&|$)/.test(query)) {
        var h = headers.accept;
        var list = !h ? [] : h.multiValue && h.multiValue.length ? h.multiValue : [h];
        var accept = list.map(function (e) { return e.value; }).join(', ');
        headers['x-vips-edge-accept'] = { value: acceptBucket(accept) };
    }
    delete headers['x-vips-edge-hints'];
    var asked = {};
    var any = false;
    PARAMS.forEach(function (p) {
        if (p.h && new RegExp('(^|&)' + p.n + '=auto(&|$)').test(query)) asked[p.h] = any = true;
    });
    if (any) headers['x-vips-edge-hints'] = { value: hintsHeader(asked, headers) };
    return request;
}
// --- node test export (not part of the CloudFront Function) ---
// parseQuery: a raw query string (no '?') as CloudFront presents it to the function:
// one field per name as sent, repeated names collected in multiValue, nothing decoded.
function parseQuery(raw) {
    var out = {};
    (raw || '').split('&').forEach(function (part) {
        if (part === '') return;
        var eq = part.indexOf('=');
        var name = eq < 0 ? part : part.slice(0, eq);
        var value = eq < 0 ? '' : part.slice(eq + 1);
        if (!out[name]) out[name] = { value: value };
        else {
            if (!out[name].multiValue) out[name].multiValue = [{ value: out[name].value }];
            out[name].multiValue.push({ value: value });
        }
    });
    return out;
}
if (typeof module !== 'undefined') module.exports = { handler, hintsHeader, LADDER, acceptsWebp, acceptsAvif, acceptBucket, canonicalQuery, parseQuery, PARAMS };
