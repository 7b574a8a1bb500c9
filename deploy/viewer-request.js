// vips-edge viewer-request CloudFront Function (runtime cloudfront-js-2.0).
// Normalises the viewer's Accept header into ONE header, x-vips-edge-accept,
// whose value is exactly "webp" (the viewer explicitly accepts image/webp with q > 0)
// or "other". The cache policy keys on that header only, so the cache splits into at
// most two variants per URL instead of one per distinct browser Accept string.
// The value is always overwritten, so a viewer cannot inject its own.
// The text above the marker line below is embedded verbatim in template.yaml
// (FunctionCode); deploy/test/template.test.mjs fails if the two drift apart.
function acceptsWebp(accept) {
    var ranges = accept.split(',');
    var seen = false;
    for (var i = 0; i < ranges.length; i++) {
        var parts = ranges[i].split(';');
        if (parts[0].trim().toLowerCase() !== 'image/webp') {
            continue;
        }
        var q = 1;
        for (var j = 1; j < parts.length; j++) {
            var param = parts[j].split('=');
            if (param.length === 2 && param[0].trim().toLowerCase() === 'q') {
                var text = param[1].trim();
                // RFC 9110 qvalue: 0, 0.xxx, 1, 1.000; anything else counts as refusal.
                q = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(text) ? parseFloat(text) : 0;
            }
        }
        if (!(q > 0)) {
            return false; // an explicit refusal wins over any other listing
        }
        seen = true;
    }
    return seen;
}

function handler(event) {
    var request = event.request;
    var headers = request.headers;
    var accept = '';
    var h = headers.accept;
    if (h) {
        if (h.multiValue && h.multiValue.length) {
            var all = [];
            for (var i = 0; i < h.multiValue.length; i++) {
                all.push(h.multiValue[i].value);
            }
            accept = all.join(',');
        } else if (typeof h.value === 'string') {
            accept = h.value;
        }
    }
    headers['x-vips-edge-accept'] = { value: acceptsWebp(accept) ? 'webp' : 'other' };
    return request;
}
// --- node test export (not part of the CloudFront Function) ---
if (typeof module !== 'undefined') module.exports = { handler, acceptsWebp };
