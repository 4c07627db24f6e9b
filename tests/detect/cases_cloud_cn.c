/* cases_cloud_cn — positives and hard negatives of cloud-cn.conf (Alibaba Cloud STS and OSS
 * signed URLs, Tencent COS signed URLs, Baidu AI Cloud, Volcano Engine, Kingsoft Cloud,
 * Qiniu, UCloud, JD Cloud). A pair (ID and secret) is one finding under the ID rule with the
 * secret and the ID as ak_id. Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define STS_ID "STS.38AibNyyurlGFb0EkjKWREhbi"
#define STS_TOKEN                                                                             \
    "CAISsxRpvED5hJRaOvRTYZPNvS+I4k9GvvK9JkmW378D/Cn511CFUBWkNhBm2bd2AG2+B2TFu2aWo+C7VLotddxg" \
    "7qACPVsOnA66cKIFTmxrrjtjVmd4xI0zvy4Zr9moEHZhNX2xGqc/fQ7ZvqsP3CCT/nKEBJMhw5k62rOjlqnFCraP" \
    "/c0YsHh47lft6zNHIA33NbEI3p85cRbGIEV45gO+V/RrwlIM5dcJjWpwIqulpwIKak99neEC7C6JYMiznF6ytTBU" \
    "RaHyx49wQOmCb5k5pbS2Sd6CRSH2D6oqM79+O36j"
#define OSS_Q "LTAI5tQ8nuwAYCY6U15Mg6sc&Signature=VsS53fP2k77R9RFAP6VGYq%2BLZdw%3D"
#define COS_Q                                                                                 \
    "AKIDz8krbsJ5yKBZQpn74WFkmLPxEXAMPLE&q-sign-time=1700000000;1700003600&q-key-time="      \
    "1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature="                \
    "34bf7e8df33809cd89bf6e31c021f6b75d2715bd"
#define COS_Q_OK                                                                              \
    "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EQ2PLxw&q-sign-time=1700000000;1700003600&q-key-time="      \
    "1700000000;1700003600&q-header-list=host&q-url-param-list=&q-signature="                \
    "34bf7e8df33809cd89bf6e31c021f6b75d2715bd"
#define VOLC_AK "AKLTNmIwOTc0YWZhNzQxOTMzMDQ4ODVlZTkxNGYxNDlmODM"
#define VOLC_SK "WWpWaFpUQTRaVGxrWmpCaU0yWXhNekExTW1KaE1UTXhOVEkxWm1FeU4yRT0="
#define KS_SK "OLvHNh/ZOCBRK6iIT6Y2YTIicpDiYmfb9atdsaANN+bWyc0N38GKP+Fa"

// clang-format off
const struct rule_case cases_cloud_cn[] = {
    {"alibaba-sts-accesskey-id", "web_identity_provider.go", "// https://docs.aws.amazon.com/sdk-for-go/api/service/sts/#STS.AssumeRoleWithWebIdentity\n", NULL, NULL},
    {"alibaba-sts-accesskey-id", "sts.json",
     "{\n  \"AccessKeyId\": \"" STS_ID "\",\n  \"Expiration\": \"2026-12-07T10:00:00Z\",\n"
     "  \"SecurityToken\": \"" STS_TOKEN "\"\n}\n", STS_TOKEN, STS_ID},
    {"alibaba-sts-accesskey-id", "sts.md", "the id looks like STS.xxxxxxxxxxxxxxxxxxxxxxxx (see the docs)\n", NULL, NULL},
    {"alibaba-sts-token", "upload.js", "const token = '" STS_TOKEN "';\n", STS_TOKEN, NULL},
    {"alibaba-sts-token", "upload.js", "const token = 'CAISsxRpvED5hJRaOvRTYZPNvS+I4k9GvvK9JkmW378D/Cn511CFUBWkNhBm2bd2AG2+B2TFu2aWo+C7VLotdd';\n",
     NULL, NULL},
    {"alibaba-oss-signed-url", "report.html",
     "<a href=\"https://acme-files.oss-cn-hangzhou.aliyuncs.com/q3.xlsx?Expires=1767225600&OSSAccessKeyId=" OSS_Q "\">Q3</a>\n",
     OSS_Q, "LTAI5tQ8nuwAYCY6U15Mg6sc"},
    {"alibaba-oss-signed-url", "report.html",
     "<a href=\"https://acme-files.oss-cn-hangzhou.aliyuncs.com/q3.xlsx?Expires=1767225600&OSSAccessKeyId=LTAIxxxxxxxxxxxxxxxx&Signature=\">\n",
     NULL, NULL},
    {"tencent-cos-signed-url", "download.sh",
     "curl 'https://acme-1250000000.cos.ap-guangzhou.myqcloud.com/db.sql?q-sign-algorithm=sha1&q-ak=" COS_Q_OK "'\n",
     COS_Q_OK, "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EQ2PLxw"},
    {"tencent-cos-signed-url", "README.md",
     "curl 'https://examplebucket-1250000000.cos.ap-beijing.myqcloud.com/a.txt?q-sign-algorithm=sha1&q-ak=" COS_Q "'\n",
     NULL, NULL},
    {"baidu-cloud-access-key", "bos.py",
     "config = BceClientConfiguration(credentials=BceCredentials(\"ALTAKq5HuSGfrEoGAdSgjNww6r\",\n"
     "    bce_secret_key=\"3859dafc1eb03300183873de573ecad0\"))\n",
     "3859dafc1eb03300183873de573ecad0", "ALTAKq5HuSGfrEoGAdSgjNww6r"},
    {"baidu-cloud-access-key", "bos.py", "BOS_AK = '831b5bd5a03d76e82f142f51d1c30ea8'\n",
     "831b5bd5a03d76e82f142f51d1c30ea8", NULL},
    {"baidu-cloud-access-key", "bos.py", "image_md5 = '831b5bd5a03d76e82f142f51d1c30ea8'\n", NULL, NULL},
    {"baidu-cloud-access-key", "bos.py", "BOS_AK = 'your-access-key-id'  # from the console's Access Key page\n", NULL, NULL},
    {"baidu-cloud-secret-key", ".env", "BCE_SECRET_KEY=3859dafc1eb03300183873de573ecad0\n",
     "3859dafc1eb03300183873de573ecad0", NULL},
    {"baidu-cloud-secret-key", ".env", "BCE_SECRET_KEY_SHA=3859dafc1eb03300183873de573ecad0a\n", NULL, NULL},
    {"volcengine-access-key", "ark.yaml", "volcengine:\n  access_key: " VOLC_AK "\n  volc_secret_key: " VOLC_SK "\n",
     VOLC_SK, VOLC_AK},
    {"volcengine-access-key", "ark.yaml", "  access_key: AKLTNmIwOTc0YWZhNzQxOTMzMDQ4ODVlZTkxNGYx\n", NULL, NULL},
    {"volcengine-secret-key", "Dockerfile", "ENV VOLC_SECRETKEY=" VOLC_SK "\n", VOLC_SK, NULL},
    {"volcengine-secret-key", "Dockerfile", "ENV VOLC_SECRETKEY=WWpWaFpUQTRaVGxrWmpCaU0yWXhNekExTW1KaE1UTXhO\n", NULL, NULL},
    {"kingsoft-access-key", "ks3.properties",
     "ks3.accessKeyId=AKLT57Q8nuwAYCY6U15Mg6scc7\nks3.secretAccessKey=" KS_SK "\n", KS_SK,
     "AKLT57Q8nuwAYCY6U15Mg6scc7"},
    {"kingsoft-access-key", "ks3.properties", "ks3.accessKeyId=AKLT57Q8nuwAYCY6\n", NULL, NULL},
    {"kingsoft-secret-key", "ksyun.ini", "ksyun_secret_key = " KS_SK "\n", KS_SK, NULL},
    {"kingsoft-secret-key", "ksyun.ini", "ksyun_secret_key = OLvHNh/ZOCBRK6iIT6Y2YTIicpDiYmfb9at\n", NULL, NULL},
    {"qiniu-access-key", "upload.go",
     "mac := qbox.NewMac(\"FVf06Es8e9FhstPAjzlPKMFCakyxi_jUloQcfx0O\", \"ljgNdjCYpc1vYMJqVIvLQKt4CST4LBZWm6i6X89q\")\n"
     "// qiniu_ak = FVf06Es8e9FhstPAjzlPKMFCakyxi_jUloQcfx0O\n// qiniu_sk = ljgNdjCYpc1vYMJqVIvLQKt4CST4LBZWm6i6X89q\n",
     "ljgNdjCYpc1vYMJqVIvLQKt4CST4LBZWm6i6X89q", "FVf06Es8e9FhstPAjzlPKMFCakyxi_jUloQcfx0O"},
    {"qiniu-access-key", "upload.go", "// qiniu_ak = FVf06Es8e9FhstPAjzlPKMFCakyxi_jUloQcfx0\n", NULL, NULL},
    {"qiniu-secret-key", "config.php", "'qiniu_secret_key' => 'ljgNdjCYpc1vYMJqVIvLQKt4CST4LBZWm6i6X89q',\n",
     "ljgNdjCYpc1vYMJqVIvLQKt4CST4LBZWm6i6X89q", NULL},
    {"qiniu-secret-key", "config.php", "'qiniu_secret_key' => env('QINIU_SECRET_KEY'),\n", NULL, NULL},
    {"ucloud-public-key", "ucloud.yaml",
     "ucloud_public_key: yhxrrhbuaYuV8GEpAj08dNPu0DmtFQuO=\nucloud_private_key: 9molUzLcLpwPv0TxnRvacr6srEtL15PpQHvyVW89\n",
     "9molUzLcLpwPv0TxnRvacr6srEtL15PpQHvyVW89", "yhxrrhbuaYuV8GEpAj08dNPu0DmtFQuO="},
    {"ucloud-public-key", "ucloud.yaml", "ucloud_public_key: ${UCLOUD_PUBLIC_KEY}\n", NULL, NULL},
    {"ucloud-private-key", "main.tf", "  ucloud_private_key = \"9molUzLcLpwPv0TxnRvacr6srEtL15PpQHvyVW89\"\n",
     "9molUzLcLpwPv0TxnRvacr6srEtL15PpQHvyVW89", NULL},
    {"ucloud-private-key", "main.tf", "  ucloud_private_key = var.ucloud_private_key\n", NULL, NULL},
    {"jdcloud-access-key", "jd.py",
     "credential = Credential('JDC_27A8EBFFF1C03BB48EA359A44450', '38D18288AE22CE7CACB013B22D5F6388')\n",
     "38D18288AE22CE7CACB013B22D5F6388", "JDC_27A8EBFFF1C03BB48EA359A44450"},
    {"jdcloud-access-key", "jd.py", "credential = Credential('JDC_27A8EBFFF1C03BB48EA359A4445', sk)\n", NULL, NULL},
    {"jdcloud-secret-key", ".env", "JDCLOUD_SECRET_KEY=38D18288AE22CE7CACB013B22D5F6388\n",
     "38D18288AE22CE7CACB013B22D5F6388", NULL},
    {"jdcloud-secret-key", ".env", "JDCLOUD_SECRET_KEY=38D18288AE22CE7CACB013B22D5F638\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
