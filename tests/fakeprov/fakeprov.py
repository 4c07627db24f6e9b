#!/usr/bin/python3
"""fakeprov — fake credential providers on 127.0.0.1 for the verification tests.

Each instance plays one provider and checks requests exactly as the provider does:
  alibaba  RPC GET "/?Action=DescribeRegions&...": recomputes the HMAC-SHA1 signature
           (SignatureVersion 1.0) with the known secret; unknown AccessKeyId ->
           404 InvalidAccessKeyId.NotFound, wrong signature -> 400 SignatureDoesNotMatch,
           disabled key -> 400 InvalidAccessKeyId.Inactive, reused nonce -> 400
           SignatureNonceUsed, all in Alibaba's JSON error shape.
  aws      STS POST "/" Action=GetCallerIdentity: recomputes the SigV4 signature from the
           signed headers it received; unknown key -> 403 InvalidClientTokenId, wrong
           signature -> 403 SignatureDoesNotMatch (ErrorResponse XML), else the
           GetCallerIdentityResponse XML.
  tencent  Cloud API 3.0 POST "/" X-TC-Action: GetCallerIdentity (service sts): recomputes
           the TC3-HMAC-SHA256 signature from the headers and body it received; answers
           HTTP 200 in every case, as Tencent does, errors in Response.Error: unknown SecretId
           -> AuthFailure.SecretIdNotFound, wrong signature -> AuthFailure.SignatureFailure,
           forbidden -> AuthFailure.UnauthorizedOperation, skew ->
           AuthFailure.SignatureExpire; else Response.Arn/AccountId.
  github   GET /user: 200 with the login for a known token, 401 Bad credentials otherwise,
           403 without a User-Agent.
Keys: --key ID,SECRET[,IDENTITY[,FLAG]] (FLAG: inactive | throttle | forbidden | skew) for
alibaba/aws/tencent, --key TOKEN,LOGIN[,SCOPES] for github (SCOPES space-separated, sent back in
X-OAuth-Scopes as GitHub does for classic tokens). Every request is appended to --log as one JSON
line {t, provider, method, path, query, headers, body, status, code}. The chosen port is
written to --port-file. --tls CERT KEY serves https (the tests use a self-signed certificate
to show that certificate verification stays on). Standard library only; stops on SIGTERM.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import signal
import ssl
import sys
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer


def pe(s):
    return urllib.parse.quote(s, safe="-_.~")


class Keys:
    def __init__(self, specs):
        self.by_id = {}
        for spec in specs:
            parts = spec.split(",", 3)
            while len(parts) < 4:
                parts.append("")
            self.by_id[parts[0]] = {"secret": parts[1], "identity": parts[2], "flag": parts[3]}


# ---- Alibaba Cloud RPC ------------------------------------------------------------------

def alibaba_error(code, message, status):
    return status, "application/json", json.dumps({
        "RequestId": str(uuid.uuid4()).upper(), "HostId": "ecs.aliyuncs.com",
        "Code": code, "Message": message,
        "Recommend": "https://api.aliyun.com/troubleshoot?q=%s" % code})


def alibaba(handler, keys, seen_nonces):
    q = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query, keep_blank_values=True)
    params = {k: v[0] for k, v in q.items()}
    for need in ("Action", "AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce",
                 "SignatureVersion", "Timestamp", "Version"):
        if need not in params:
            return alibaba_error("MissingParameter",
                                 "The input parameter \"%s\" that is mandatory for processing "
                                 "this request is not supplied." % need, 400)
    if params["SignatureMethod"] != "HMAC-SHA1" or params["SignatureVersion"] != "1.0":
        return alibaba_error("InvalidParameter", "SignatureMethod/SignatureVersion", 400)
    key = keys.by_id.get(params["AccessKeyId"])
    if key is None:
        return alibaba_error("InvalidAccessKeyId.NotFound", "Specified access key is not found.",
                             404)
    signature = params.pop("Signature")
    canonical = "&".join(pe(k) + "=" + pe(params[k]) for k in sorted(params))
    to_sign = handler.command + "&" + pe("/") + "&" + pe(canonical)
    want = base64.b64encode(hmac.new((key["secret"] + "&").encode(), to_sign.encode(),
                                     hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(want, signature):
        return alibaba_error("SignatureDoesNotMatch",
                             "Specified signature is not matched with our calculation. "
                             "server string to sign is:" + to_sign, 400)
    if key["flag"] == "inactive":
        return alibaba_error("InvalidAccessKeyId.Inactive", "Specified access key is disabled.",
                             400)
    if params["SignatureNonce"] in seen_nonces:
        return alibaba_error("SignatureNonceUsed", "Specified signature nonce was used already.",
                             400)
    seen_nonces.add(params["SignatureNonce"])
    if key["flag"] == "throttle":
        return alibaba_error("Throttling.User", "Request was denied due to user flow control.",
                             400)
    if key["flag"] == "forbidden":
        return alibaba_error("Forbidden.RAM", "User not authorized to operate on the specified "
                             "resource, or this API doesn't support RAM.", 403)
    if params["Action"] != "DescribeRegions":
        return alibaba_error("InvalidAction.NotFound", "Specified api is not found.", 404)
    regions = [{"RegionId": r, "RegionEndpoint": "ecs.aliyuncs.com", "LocalName": r,
                "Status": "available"} for r in ("cn-qingdao", "cn-beijing", "cn-hangzhou")]
    return 200, "application/json", json.dumps({
        "RequestId": str(uuid.uuid4()).upper(), "Regions": {"Region": regions}})


# ---- AWS STS, Signature Version 4 --------------------------------------------------------

STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


def aws_error(code, message, status=403):
    return status, "text/xml", (
        '<ErrorResponse xmlns="%s">\n  <Error>\n    <Type>Sender</Type>\n    <Code>%s</Code>\n'
        '    <Message>%s</Message>\n  </Error>\n  <RequestId>%s</RequestId>\n</ErrorResponse>\n'
        % (STS_NS, code, message, uuid.uuid4()))


def sigv4_signature(secret, amz_date, region, service, string_to_sign):
    def h(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = h(("AWS4" + secret).encode(), amz_date[:8])
    k = h(h(h(k, region), service), "aws4_request")
    return hmac.new(k, string_to_sign.encode(), hashlib.sha256).hexdigest()


def aws(handler, keys, body):
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("AWS4-HMAC-SHA256 "):
        return aws_error("MissingAuthenticationToken", "Request is missing Authentication Token")
    fields = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(","))
    cred = fields.get("Credential", "").split("/")
    if len(cred) != 5 or cred[4] != "aws4_request" or cred[3] != "sts":
        return aws_error("IncompleteSignature", "Credential is malformed", 400)
    key = keys.by_id.get(cred[0])
    if key is None:
        return aws_error("InvalidClientTokenId",
                         "The security token included in the request is invalid.")
    amz_date = handler.headers.get("X-Amz-Date", "")
    signed = fields.get("SignedHeaders", "").split(";")
    if "host" not in signed or "x-amz-date" not in signed or amz_date[:8] != cred[1]:
        return aws_error("IncompleteSignature", "Host and X-Amz-Date must be signed", 400)
    url = urllib.parse.urlsplit(handler.path)
    query = "&".join(sorted(url.query.split("&"))) if url.query else ""
    canon_headers = "".join(
        "%s:%s\n" % (name, " ".join((handler.headers.get(name) or "").split()))
        for name in signed)
    creq = "\n".join([handler.command, url.path or "/", query, canon_headers,
                      ";".join(signed), hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, "/".join(cred[1:]),
                     hashlib.sha256(creq.encode()).hexdigest()])
    want = sigv4_signature(key["secret"], amz_date, cred[2], cred[3], sts)
    if not hmac.compare_digest(want, fields.get("Signature", "")):
        return aws_error("SignatureDoesNotMatch",
                         "The request signature we calculated does not match the signature you "
                         "provided. Check your AWS Secret Access Key and signing method. Consult "
                         "the service documentation for details.")
    if key["flag"] == "skew":  # as STS answers a request signed more than 15 minutes off
        return aws_error("SignatureDoesNotMatch",
                         "Signature expired: %s is now earlier than 20990101T000000Z "
                         "(20990101T000000Z - 15 min.)" % amz_date)
    form = urllib.parse.parse_qs(body.decode())
    if form.get("Action") != ["GetCallerIdentity"]:
        return aws_error("InvalidAction", "Could not find operation", 400)
    if key["flag"] == "throttle":
        return aws_error("Throttling", "Rate exceeded", 400)
    arn = key["identity"] or "arn:aws:iam::123456789012:user/leaked"
    account = arn.split(":")[4] if arn.count(":") >= 5 else "123456789012"
    return 200, "text/xml", (
        '<GetCallerIdentityResponse xmlns="%s">\n  <GetCallerIdentityResult>\n'
        '    <Arn>%s</Arn>\n    <UserId>AIDAEXAMPLEUSERID0001</UserId>\n'
        '    <Account>%s</Account>\n  </GetCallerIdentityResult>\n'
        '  <ResponseMetadata>\n    <RequestId>%s</RequestId>\n  </ResponseMetadata>\n'
        '</GetCallerIdentityResponse>\n' % (STS_NS, arn, account, uuid.uuid4()))


# ---- Tencent Cloud API 3.0, TC3-HMAC-SHA256 ---------------------------------------------

def tencent_answer(response):
    response["RequestId"] = str(uuid.uuid4())
    return 200, "application/json", json.dumps({"Response": response})


def tencent_error(code, message):
    return tencent_answer({"Error": {"Code": code, "Message": message}})


def tencent(handler, keys, body):
    auth = handler.headers.get("Authorization", "")
    if not auth.startswith("TC3-HMAC-SHA256 "):
        return tencent_error("AuthFailure.InvalidAuthorization", "Authorization is invalid.")
    fields = dict(p.strip().split("=", 1) for p in auth[len("TC3-HMAC-SHA256 "):].split(","))
    cred = fields.get("Credential", "").split("/")
    if len(cred) != 4 or cred[3] != "tc3_request" or cred[2] != "sts":
        return tencent_error("AuthFailure.InvalidAuthorization", "Credential is malformed.")
    key = keys.by_id.get(cred[0])
    if key is None:
        return tencent_error("AuthFailure.SecretIdNotFound",
                             "The SecretId is not found, please ensure that your SecretId "
                             "is correct.")
    ts = handler.headers.get("X-TC-Timestamp", "")
    if not ts.isdigit() or time.strftime("%Y-%m-%d", time.gmtime(int(ts))) != cred[1]:
        return tencent_error("AuthFailure.InvalidAuthorization",
                             "Credential date does not match X-TC-Timestamp.")
    signed = fields.get("SignedHeaders", "").split(";")
    # names and values lower-cased and trimmed, as the TC3 documentation says
    canon_headers = "".join("%s:%s\n" % (name, (handler.headers.get(name) or "").strip().lower())
                            for name in signed)
    url = urllib.parse.urlsplit(handler.path)
    creq = "\n".join([handler.command, url.path or "/", url.query, canon_headers,
                      ";".join(signed), hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["TC3-HMAC-SHA256", ts, "/".join(cred[1:]),
                     hashlib.sha256(creq.encode()).hexdigest()])

    def h(k, m):
        return hmac.new(k, m.encode(), hashlib.sha256).digest()
    k = h(h(h(("TC3" + key["secret"]).encode(), cred[1]), cred[2]), "tc3_request")
    want = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, fields.get("Signature", "")):
        return tencent_error("AuthFailure.SignatureFailure",
                             "The provided credentials could not be validated. Please check "
                             "your signature is correct.")
    if key["flag"] == "skew":  # as Tencent answers a timestamp more than 5 minutes off
        return tencent_error("AuthFailure.SignatureExpire",
                             "Signature expired. Timestamp is %s, server time is 4102444800."
                             % ts)
    if handler.headers.get("X-TC-Action") != "GetCallerIdentity" or \
            handler.headers.get("X-TC-Version") != "2018-08-13":
        return tencent_error("InvalidAction", "The requested action does not exist.")
    if key["flag"] == "forbidden":
        return tencent_error("AuthFailure.UnauthorizedOperation",
                             "The request is not authorized by CAM.")
    arn = key["identity"] or "qcs::cam::uin/100000000001:uin/100000000001"
    account = arn.split("uin/")[1].split(":")[0] if "uin/" in arn else "100000000001"
    return tencent_answer({"Arn": arn, "AccountId": account, "UserId": account,
                           "PrincipalId": account, "Type": "CAMUser"})


# ---- GitHub /user -------------------------------------------------------------------------

def github(handler, keys):
    if not handler.headers.get("User-Agent"):
        return 403, "application/json", json.dumps({
            "message": "Request forbidden by administrative rules. Please make sure your "
                       "request has a User-Agent header."})
    if urllib.parse.urlsplit(handler.path).path != "/user":
        return 404, "application/json", json.dumps({"message": "Not Found"})
    auth = handler.headers.get("Authorization", "")
    token = auth.split(" ", 1)[1] if " " in auth else ""
    key = keys.by_id.get(token) if auth.split(" ", 1)[0] in ("Bearer", "token") else None
    if key is None:
        return 401, "application/json", json.dumps({
            "message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"})
    scopes = ", ".join(key["identity"].split()) if key["identity"] else None
    return 200, "application/json", json.dumps({
        "login": key["secret"] or "octocat", "id": 1, "type": "User"}), scopes


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        srv = self.server
        scopes = None
        if srv.provider == "alibaba":
            status, ctype, text = alibaba(self, srv.keys, srv.nonces)
        elif srv.provider == "aws":
            status, ctype, text = aws(self, srv.keys, body)
        elif srv.provider == "tencent":
            status, ctype, text = tencent(self, srv.keys, body)
        else:
            answer = github(self, srv.keys)
            status, ctype, text = answer[:3]
            scopes = answer[3] if len(answer) > 3 else None
        code = ""
        if srv.provider == "tencent":  # HTTP 200 always; the error is in the body
            code = json.loads(text)["Response"].get("Error", {}).get("Code", "")
        elif status != 200:
            try:
                code = json.loads(text).get("Code") or json.loads(text).get("message", "")
            except ValueError:
                code = text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in text else ""
        with open(srv.log, "a") as f:
            f.write(json.dumps({
                "t": time.monotonic(), "provider": srv.provider, "method": self.command,
                "path": urllib.parse.urlsplit(self.path).path,
                "query": urllib.parse.urlsplit(self.path).query,
                "headers": dict(self.headers.items()), "body": body.decode("utf-8", "replace"),
                "status": status, "code": code}) + "\n")
        # Logged before answering, so a client that got its answer finds its request logged.
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        if scopes is not None:  # GitHub lists a classic token's scopes on every answer
            self.send_header("X-OAuth-Scopes", scopes)
        self.end_headers()
        self.wfile.write(data)

    do_GET = handle_any
    do_POST = handle_any


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--provider", required=True, choices=("alibaba", "aws", "github", "tencent"))
    ap.add_argument("--key", action="append", default=[])
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"),
                    help="serve https with this (self-signed) certificate")
    args = ap.parse_args()
    srv = HTTPServer(("127.0.0.1", 0), Handler)
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.provider, srv.keys, srv.log, srv.nonces = args.provider, Keys(args.key), args.log, set()
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
