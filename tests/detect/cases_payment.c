/* cases_payment — positives and hard negatives of payment.conf (Stripe, Square, Braintree,
 * PayPal, Alipay, WeChat and WeChat Pay, Razorpay). Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define ALIPAY_KEY \
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC4IpHJ2Sp2+onZ2QH9tDNC8Dr2QYq2FNEfV8Dn" \
    "n8OYrMVhOzkrLG/8gir9h2DQLGvzMsZ3T1ZJZODWJ/nUy6FTfErkUgDt+2pGNGarLY1IGjbp2tsbPXFLTBxH8vi+" \
    "WKM85SqyESVAeppZQayOzur0V2dUY8h1Qu2IQmPc3H+84+UQaLha2hxPoMT0JMJozuM2xNg/vIMJnQX0XmNgX2v8" \
    "dNJQ5zN+igkaKoz+3/XdhaYFFwFIqDMGbrkjrtEVJRcMHYamYFgOORnQnh36scirNj+SK24TMG0HODIthgNf7Tt4" \
    "RemLJay4utVLIFCG1DMJDRU9XlM7AVQ37AmEcBykhMJ1/LFUb3UShfWhhuHwzsHoulmXm9m1QUo1WByUqTosqLRP" \
    "/gPLxulf29IG81jz7LJcLfvme3W7F05fA86pkW/Bfy1nybdr7qXZGxVTaI8iL1ETNAErCJRDUutG/qzfXwd/YGS7" \
    "RUbgWIShsNpQOvi/+V9WOeKpwBo/yfXJSyzgIo0xD3OMmbQNEqEhP5hwtzXGy+4JzL7RFW9/gc6fIFiMHlNviyEw" \
    "RL9wzd5Y7yZNvXEEVABmfL4t9VeCP7mcdMPLTvIyzBwvUi+QYtfWdJm9aj2Mtc7lkh+aJq+A1YntKyGSN/iUmza7" \
    "2e1NGBZP4ueedoNZk/LKr1s4LviKSs+Xo3E2u8sRvBNYqiGmfIzbIxKhdFN0UwYstLtpev/6N6Q58QEa4D/I1+9C" \
    "nMSJJYQ+GiB7Bat5yUOE8BdQ67Efp0rkJ3PhIZnoHDXQauMmFy5GOKbE5XI03UE4m3XKlw9BvB0/q0p2TfIQOgaU" \
    "ksVaU4K0tHGFghiyoM24SnPagjqDKy4WgKpHskrT60yhznyY3IBRg9sXvQuF8MebgX+wju36ucReazSKERfBE1uZ" \
    "Q/W4fmKaGxyv7Ye8k9t1oRa4i7k0E9M51IAvOt5nfXhLeCiFYaxolPcjXn2r66ztsYyAKoToTjpuFzEPppf3jFkQ" \
    "08I61XBuR8oKU2XL8kPSRd6Om9qc3+ttg8O1YKeQyqabYOsyZfI28eaXhZnBm2ctxqlPfAIOgGZMnyxf3R9+Ljsr" \
    "skljUXyFtYgkZKxwljvYlJ1ZfqSdSApIyQSmF8u9fGT1W44aQt7e4zWRR7TsF7Tl8ZO00kqaoV6Z7CBq9fPJw2T4" \
    "PfBu6NKOz5zlVjctk3OKyp2NhK4EaAzhFSDjuKVIXxlcOtNRQ+IO2VdWNnEctdXpfzFvXmZPad6znA+3ma2SmFxs" \
    "4CGx+fs2CNQ724k8iwuFxPIWh62bCLT+5Q+Ky4jSuYzCTQnIbNk9LPQ7aFklTdjHk4Hzo4HDK+gen+L0/NkikDA+" \
    "LxJSSwFbRHWClDNWiBu7H766bfqDdndR+qjQPsoSuppzJg3XqUY+C0lMI2nVmw0SAI1ZLZFbZZ1eVX4/aGieB04O" \
    "cOheKw8FVVjJBHDOvgSD581JzXUIf2IBgvcHIX51UUIMDeN3gyt1nMzCAwO7GZ9VK1XqASTL7JREc68c37nHpFz1" \
    "unxACTlUjI5wlR910GBCibGvh8C=="
#define ALIPAY_PUB \
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAso2Hy/FIn1Zomfi4bqX/RKNWjbI6J/t9BPmT9AN9sLRJ" \
    "Fmw9/+pE4+7DqSY/GSthbCghI2vF07Ty0kEGh97TocDhLNJ2Sc/GnOgcVXZZshH9l/0P79MGrk4r0V47yJcum8X/" \
    "/Q0G1Ip2123Pbrn6Vj0ToCyc2fW8Z9f1DyZl92X09WxOrggn1syh4OU4bcl5CMuIBX4CZVwVHa2bTpArJ/qeZ8LN" \
    "Ol1QyhBolTZdPn7DQjG/HBJw/UDUd35+5T87/qGwFkNYsivLJu2ZEYuwOFOcikkxBL+kIydn1VDIsdt8b/zAmbHG" \
    "d2TSChtjX/BhTY6cat+fgiqQFZa18lTs+z2TBis8IDAQAB"

// clang-format off
const struct rule_case cases_payment[] = {
    {"stripe-secret-key", "config/stripe.rb", "Stripe.api_key = 'sk_live_RSlKdkAm4uPgxw9C42am3I7k'\n", "sk_live_RSlKdkAm4uPgxw9C42am3I7k", NULL},
    {"stripe-secret-key", "README.md", "Stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'\n", NULL, NULL},
    {"stripe-secret-key", "checkout.js", "const stripe = Stripe('pk_live_RSlKdkAm4uPgxw9C42am3I7k');\n", NULL, NULL},
    {"stripe-restricted-key", ".env", "STRIPE_RESTRICTED_KEY=rk_live_zhBwIzcN8OwRBD8Kt5gbUNsr\n", "rk_live_zhBwIzcN8OwRBD8Kt5gbUNsr", NULL},
    {"stripe-restricted-key", ".env", "STRIPE_RESTRICTED_KEY=rk_live_zhBwIzcN8OwRBD8Kt5gb\n", NULL, NULL},
    {"stripe-webhook-secret", "settings.py", "STRIPE_WEBHOOK_SECRET = \"whsec_wY07I4MCMWCm3fNFwwuAPfdgccVxdmBh5UTzTGkJ\"\n", "whsec_wY07I4MCMWCm3fNFwwuAPfdgccVxdmBh5UTzTGkJ", NULL},
    {"stripe-webhook-secret", "settings.py", "STRIPE_WEBHOOK_SECRET = \"whsec_wY07I4MCMWCm3fNFwwuA\"\n", NULL, NULL},
    {"square-access-token", "config.square.php", "  'SQUARE_ACCESS_TOKEN' => 'EAAAPhokzbaParTZHu6IdcmEKBsGlRtj3ezZ5sSPSjxT8It_gwZG-2rG4x4GhoE2',\n", "EAAAPhokzbaParTZHu6IdcmEKBsGlRtj3ezZ5sSPSjxT8It_gwZG-2rG4x4GhoE2", NULL},
    {"square-access-token", "legacy.py", "client = Client(access_token='sq0atp-fUOudnovkU2jssW2LAYTFB')\n", "sq0atp-fUOudnovkU2jssW2LAYTFB", NULL},
    {"square-access-token", "config.square.php", "  'SQUARE_ACCESS_TOKEN' => 'EAAAPhokzbaParTZHu6IdcmEKBsGlRtj3ezZ5sSPSjxT8It_gwZG-2rG4x4GhoE2fUOudnovk',\n", NULL, NULL},
    {"square-oauth-secret", "oauth.yml", "square_app_secret: sq0csp-UJO1sDO1OotU0fnqdSqNm0Xz-_XG0GBcE9NNeh5Eb4q\n", "sq0csp-UJO1sDO1OotU0fnqdSqNm0Xz-_XG0GBcE9NNeh5Eb4q", NULL},
    {"square-oauth-secret", "oauth.yml", "square_app_id: sq0idp-UJO1sDO1OotU0fnqdSqNm0Xz-_XG0GBcE9NNeh5Eb4q\n", NULL, NULL},
    /* cut short */
    {"square-oauth-secret", "oauth.yml", "square_app_secret: sq0csp-UJO1sDO1OotU0fnqdSqNm0Xz\n", NULL, NULL},
    {"braintree-access-token", "gateway.rb", "gateway = Braintree::Gateway.new(access_token: 'access_token$production$o64cugloh3crywma$742dfdbcdb7c81e3efe909027179ea0b')\n",
     "access_token$production$o64cugloh3crywma$742dfdbcdb7c81e3efe909027179ea0b", NULL},
    {"braintree-access-token", "gateway.rb", "gateway = Braintree::Gateway.new(access_token: 'access_token$production$o64cugloh3crywma$742dfdbcdb7c81e3efe90902')\n", NULL, NULL},
    {"braintree-private-key", "braintree.properties", "braintree.private_key=8705bb0c9762a448eadf30eece93163d\n", "8705bb0c9762a448eadf30eece93163d", NULL},
    {"braintree-private-key", "braintree.properties", "braintree.merchant_id=8705bb0c9762a448eadf30eece93163d\n", NULL, NULL},
    {"paypal-client-secret", ".env", "PAYPAL_CLIENT_SECRET=fD8jcL2ZVG0-3pA4jYqKlzZjKEJnxzHitCsrYNVnoH2c4u6HhLd1DxBlQQD3XETL6AVNARXeFt_-Sk6g\n", "fD8jcL2ZVG0-3pA4jYqKlzZjKEJnxzHitCsrYNVnoH2c4u6HhLd1DxBlQQD3XETL6AVNARXeFt_-Sk6g", NULL},
    {"paypal-client-secret", ".env", "PAYPAL_CLIENT_ID=fD8jcL2ZVG0-3pA4jYqKlzZjKEJnxzHitCsrYNVnoH2c4u6HhLd1DxBlQQD3XETL6AVNARXeFt_-Sk6g\n", NULL, NULL},
    {"alipay-app-private-key", "src/main/resources/application.properties", "alipay.app-private-key=" ALIPAY_KEY "\n",
     ALIPAY_KEY, NULL},
    {"alipay-app-private-key", "AlipayConfig.java", "    public static String merchant_private_key = \"" ALIPAY_KEY "\";\n",
     ALIPAY_KEY, NULL},
    {"alipay-app-private-key", "src/main/resources/application.properties", "alipay.alipay-public-key=" ALIPAY_PUB "\n", NULL, NULL},
    {"wechat-appid", "application.yml", "wechat:\n  mp:\n    app-id: wx7cd089350d02f63d\n    secret: 479cb1225e8a45dfb65e6f67af856044\n", "479cb1225e8a45dfb65e6f67af856044", "wx7cd089350d02f63d"},
    {"wechat-appid", "project.config.json", "  \"appid\": \"wx7cd089350d02f63d\",\n", NULL, NULL},
    {"wechat-appsecret", "config.py", "WECHAT_APP_SECRET = '479cb1225e8a45dfb65e6f67af856044'\n", "479cb1225e8a45dfb65e6f67af856044", NULL},
    {"wechat-appsecret", "config.py", "LEGACY_APP_SECRET = '479cb1225e8a45dfb65e6f67af856044'\nWECHAT_TOKEN_URL = 'https://api.weixin.qq.com/cgi-bin/token'\n", NULL, NULL},
    {"wechat-pay-api-key", "application.yml", "wxpay:\n  mch-id: 1900000109\n  wxpay-api-v3-key: YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF\n", "YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF", NULL},
    {"wechat-pay-api-key", "config/pay.yml", "wxpay:\n  mch-id: 1900000109\n  api-v3-key: YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF\n", "YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF", NULL},
    {"wechat-pay-api-key", "pay.php", "$config['mch_api_v3_key'] = 'YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF';\n", "YgYyeBOFDUV4opuUFE3XJOLbiYOnO0tF", NULL},
    {"wechat-pay-api-key", "application.yml", "  wxpay-api-v3-key: YgYyeBOFDUV4opuUFE3XJOLb\n", NULL, NULL},
    {"razorpay-key-id", "pay.py", "client = razorpay.Client(auth=(\"rzp_live_UapnKirHzb2Dnl\", \"u39yQY2OsvRivEnGGELjC28z\"))\n", "u39yQY2OsvRivEnGGELjC28z", "rzp_live_UapnKirHzb2Dnl"},
    {"razorpay-key-id", "checkout.html", "<script>var options = { key: \"rzp_live_UapnKirHzb2Dnl\", amount: 50000 };</script>\n", NULL, NULL},
    {"razorpay-key-secret", ".env", "RAZORPAY_KEY_SECRET=u39yQY2OsvRivEnGGELjC28z\n", "u39yQY2OsvRivEnGGELjC28z", NULL},
    {"razorpay-key-secret", ".env", "RAZORPAY_KEY_SECRET=u39yQY2OsvRivEnGGELj\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
