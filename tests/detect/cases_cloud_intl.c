/* cases_cloud_intl — positives and hard negatives of cloud-intl.conf (Azure Storage, Entra
 * ID, Service Bus, Cosmos DB, Google Cloud service accounts and OAuth, DigitalOcean,
 * Heroku, Cloudflare, Linode, Vultr, IBM Cloud). Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define STORAGE_KEY "OnJy/V6TRdRWicAK7HLpq5+MY5lJ4P4e7R2xE+NVGtu9/u7pANakk1ZJlUQboareNU+AINDP0mqWzQhZnCWThg=="
#define STORAGE_KEY2 "E4uLqUbexrB/GIxzKwJwQTeokGIWYC3P83q+EIlk4o/uUU4w/Bj9LB+N1ZUIAfl4luFDpUTTAiuyHs3npH9iHw=="
#define COSMOS_KEY "sm8mrUm0qX2v6OfV62UD3Ed9W4SjeigjUxTrSERNbSjmjpdxkSoWdv7FElYYYu2qmr4znSGk3huaS3apkG6Krg=="
#define SAS_SIG "Vy7cam6wj4kBFVxYrRYd0%2BPAEqevdOrR3HbiN3eYf7L%3D"
#define CF_ORIGIN                                                                             \
    "v1.0-90cabecdcf9314f36c34cb8d-287f34acc568aa62ba12e5daeea9213c38f247c45576e85d68272726b1" \
    "2d922e42b6c2cf1ec189a3ac3cec24773db77c58e845a72d520645a9c06c4dbfd608736a82f3dad01d194e6f"
#define GCP_JSON(id)                                                                          \
    "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme-prod\",\n"                 \
    "  \"private_key_id\": \"" id "\",\n"                                                    \
    "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" CASE_PEM_1 "\\n" CASE_PEM_2 "\\n"   \
    CASE_PEM_3 "\\n-----END PRIVATE KEY-----\\n\",\n"                                         \
    "  \"client_email\": \"deploy@acme-prod.iam.gserviceaccount.com\"\n}\n"

// clang-format off
const struct rule_case cases_cloud_intl[] = {
    {"azure-storage-connection-string", "appsettings.json",
     "{\"ConnectionStrings\":{\"Blob\":\"DefaultEndpointsProtocol=https;AccountName=acmeprodfiles;AccountKey="
     STORAGE_KEY ";EndpointSuffix=core.windows.net\"}}\n", STORAGE_KEY, "acmeprodfiles"},
    {"azure-storage-connection-string", "local.settings.json",
     "\"AzureWebJobsStorage\": \"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
     "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\"\n", NULL, NULL},
    {"azure-storage-account-key", ".env", "AZURE_STORAGE_KEY=" STORAGE_KEY2 "\n", STORAGE_KEY2, NULL},
    {"azure-storage-account-key", ".env", "AZURE_STORAGE_KEY=E4uLqUbexrB/GIxzKwJwQTeokGIWYC3P83q+EIlk4o/uUU4w/Bj9LB+N1ZUIAfl4luFDpUTTAiuyHs3npH9iH=\n",
     NULL, NULL},
    {"azure-sas-token", "upload.sh",
     "curl -T build.zip \"https://acmeprodfiles.blob.core.windows.net/releases/build.zip?sv=2022-11-02&ss=b&srt=o&sp=rwdlac&se=2027-01-01T00:00:00Z&spr=https&sig="
     SAS_SIG "\"\n", SAS_SIG, "acmeprodfiles"},
    {"azure-sas-token", "README.md",
     "https://acmeprodfiles.blob.core.windows.net/releases/build.zip?sv=2022-11-02&se=2027-01-01&sig=\n", NULL, NULL},
    {"azure-ad-client-secret", "appsettings.Production.json",
     "  \"ClientSecret\": \"lQK8Q~_NyK~hPA6FXBeIWG8XL2BscbFu9Z.Yi49S\",\n",
     "lQK8Q~_NyK~hPA6FXBeIWG8XL2BscbFu9Z.Yi49S", NULL},
    {"azure-ad-client-secret", "appsettings.Production.json",
     "  \"ClientSecret\": \"lQK8Q~_NyK~hPA6FXBeIWG8XL2Bsc\",\n", NULL, NULL},
    {"azure-servicebus-connection-string", "worker.py",
     "CONN = \"Endpoint=sb://acme-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
     "SharedAccessKey=p6l/0WdsZnFXlq2joIxbrYqagQ2czg3i0l9J5pTV7oI=\"\n",
     "p6l/0WdsZnFXlq2joIxbrYqagQ2czg3i0l9J5pTV7oI=", "acme-orders"},
    {"azure-servicebus-connection-string", "worker.py",
     "CONN = \"Endpoint=sb://acme-orders.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
     "SharedAccessKey=p6l/0WdsZnFXlq2joIxbrYqagQ2czg3i0l9J5pTV7oI\"\n", NULL, NULL},
    {"azure-cosmos-connection-string", "application.properties",
     "cosmos.conn=AccountEndpoint=https://acme-catalog.documents.azure.com:443/;AccountKey=" COSMOS_KEY ";\n",
     COSMOS_KEY, "acme-catalog"},
    {"azure-cosmos-connection-string", "README.md",
     "AccountEndpoint=https://localhost:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==\n",
     NULL, NULL},
    {"azure-cosmos-connection-string", "appsettings.json",
     "\"CosmosDb\": \"AccountEndpoint=https://acme-catalog.documents.azure.com:443/;AccountKey=<your-account-key>;\"\n",
     NULL, NULL},
    {"gcp-service-account-key", "deploy/sa-key.json", GCP_JSON("086dfede1589caba552abb45deb93f1f4aefbb6e"),
     CASE_PEM_SECRET, "086dfede1589caba552abb45deb93f1f4aefbb6e"},
    {"gcp-service-account-key", "keys.json",
     "{\"type\": \"service_account\", \"private_key_id\": \"086dfede1589caba552abb45deb93f1f4aefbb6e\", \"private_key\": \"\"}\n",
     NULL, NULL},
    {"google-oauth-client-secret", "client_secret.json",
     "{\"web\":{\"client_id\":\"4242.apps.googleusercontent.com\",\"client_secret\":\"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\"}}\n",
     "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", NULL},
    {"google-oauth-client-secret", "client_secret.json",
     "{\"web\":{\"client_secret\":\"GOCSPX-bs-sDEiN_OjJnNzlWac6511eN8w\"}}\n", NULL, NULL},
    {"digitalocean-token", "main.tf",
     "provider \"digitalocean\" {\n  token = \"dop_v1_59fc591ce454400df255ce3a0b835a2d4247b962311dbc4042680e971b79ca4e\"\n}\n",
     "dop_v1_59fc591ce454400df255ce3a0b835a2d4247b962311dbc4042680e971b79ca4e", NULL},
    {"digitalocean-token", "main.tf",
     "  token = \"dop_v2_59fc591ce454400df255ce3a0b835a2d4247b962311dbc4042680e971b79ca4e\"\n", NULL, NULL},
    /* one hex digit short */
    {"digitalocean-token", "main.tf",
     "  token = \"dop_v1_59fc591ce454400df255ce3a0b835a2d4247b962311dbc4042680e971b79ca4\"\n", NULL, NULL},
    {"heroku-api-key", ".netrc", "machine api.heroku.com\n  login ops@acme.example\n  password HRKU-AAVJ2FV6atucF0U5nbSbyUF2OzrjVdLc7BCtQpy8IWGx_jjSKEuytsWNcQKv\n",
     "HRKU-AAVJ2FV6atucF0U5nbSbyUF2OzrjVdLc7BCtQpy8IWGx_jjSKEuytsWNcQKv", NULL},
    {"heroku-api-key", ".netrc", "  password HRKU-ABVJ2FV6atucF0U5nbSbyUF2OzrjVdLc7BCtQpy8IWGx_jjSKEuytsWNcQKv\n", NULL, NULL},
    {"heroku-api-key-legacy", ".github/workflows/deploy.yml",
     "        heroku_api_key: 98306b32-b37d-4215-8418-a2b4cf325536\n", "98306b32-b37d-4215-8418-a2b4cf325536", NULL},
    {"heroku-api-key-legacy", "app.json", "  \"heroku_app_id\": \"98306b32-b37d-4215-8418-a2b4cf32553\"\n", NULL, NULL},
    {"cloudflare-api-token", "wrangler.sh", "export CLOUDFLARE_API_TOKEN=WDLbdeVew2x1-dXK07hR1jpYCTk_vT13Tk4YjfrI\n",
     "WDLbdeVew2x1-dXK07hR1jpYCTk_vT13Tk4YjfrI", NULL},
    {"cloudflare-api-token", "wrangler.sh", "export CLOUDFLARE_ACCOUNT_ID=WDLbdeVew2x1-dXK07hR1jpYCTk_vT13Tk4YjfrI\n",
     NULL, NULL},
    {"cloudflare-global-api-key", "ddns.conf", "CF_API_KEY=7ceb527d236fec6beaf7367ae2779b93f7d84\n",
     "7ceb527d236fec6beaf7367ae2779b93f7d84", NULL},
    {"cloudflare-global-api-key", "ddns.conf", "CF_API_KEY=7ceb527d236fec6beaf7367ae2779b93f7d8\n", NULL, NULL},
    {"cloudflare-origin-ca-key", "certs.tf", "  api_user_service_key = \"" CF_ORIGIN "\"\n", CF_ORIGIN, NULL},
    {"cloudflare-origin-ca-key", "certs.tf", "  api_user_service_key = \"v1.0-90cabecdcf9314f36c34cb8d-287f34acc568\"\n",
     NULL, NULL},
    {"linode-token", "linode.ini", "linode_token = 3391fa920a5db423c24b9b7c0fc6420d4b4ea6f6658246abd66457288688eed2\n",
     "3391fa920a5db423c24b9b7c0fc6420d4b4ea6f6658246abd66457288688eed2", NULL},
    {"linode-token", "linode.ini", "linode_image_sha = 3391fa920a5db423c24b9b7c0fc6420d4b4ea6f6658246abd66457288688eed\n",
     NULL, NULL},
    {"vultr-api-key", ".env", "VULTR_API_KEY=GBVJFNVR7QC61PRESNT0K9M7KDI742FLGLEB\n", "GBVJFNVR7QC61PRESNT0K9M7KDI742FLGLEB", NULL},
    {"vultr-api-key", ".env", "VULTR_API_KEY=gbvjfnvr7qc61presnt0k9m7kdi742flgleb\n", NULL, NULL},
    {"ibm-cloud-api-key", "terraform.tfvars", "ibmcloud_api_key = \"2p6aBg0HDtqUKS4ZKLFw_jzQ0xmY2ScSy-5EgNg0SMSx\"\n",
     "2p6aBg0HDtqUKS4ZKLFw_jzQ0xmY2ScSy-5EgNg0SMSx", NULL},
    {"ibm-cloud-api-key", "terraform.tfvars", "ibmcloud_region = \"2p6aBg0HDtqUKS4ZKLFw_jzQ0xmY2ScSy-5EgNg0SMSx\"\n",
     NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
