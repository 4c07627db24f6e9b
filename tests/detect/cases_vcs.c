/* cases_vcs — positives and hard negatives of vcs.conf (GitLab, Bitbucket, Gitee, Azure
 * DevOps, Sourcegraph, npm, PyPI, Docker Hub, RubyGems, NuGet, JFrog, crates.io, Clojars).
 * Made-up tokens only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define ATCTT                                                                                 \
    "ATCTT3xFfGN0LymYZwH6Qqq5X1wUGAJ7Wx98vjE6boQ-jQaJbO0HvrgYegRDLu4h1Dyo_vIJUjzwTkoqrtleWvTD" \
    "uRgR3yNwos-bDWmE4kuv4VGOfYcMuqbKLLp-2jfTuOQPeWIDtcKZ1Dw0gBEHum3adzqxMhGx3taeY5jvDR3q9lVu" \
    "D_Am3zwr8FwGvjEE="
#define PYPI                                                                                  \
    "pypi-AgEIcHlwaS5vcmcyloPdBMZQf4G9SBSqfPDA28uSwNccStq3fiOLUwQmLeR2zufwl8Y2WVWHnATriHmaVXO" \
    "EpLJ0qrqKdHsF0qHM3XlSd_D9i-MEeq6iTqTfibBb5z6-aBfCt3xq6KceMheFYV-rKSteQVz1HwG9kX0HM9awdGD" \
    "wcuC"
#define GLOAS "gloas-ccdb251bce79793a67c9e2ed829af48d9d59ce6ca6b0b9658d7dbc036095e68d"
#define JFROG "AKCp65vpsbPCgkL9c0374nZ3z6ZsX01xvlTREvPtYPEPFaEbqIMfvg7b8BT77xS67TalxwxLv"
#define CLOJARS "CLOJARS_wyuopdi9q9zkavumyr5lkbdjctw4jdiswqpupdpq1hf9lamu5yxion163r0m"

// clang-format off
const struct rule_case cases_vcs[] = {
    {"gitlab-pat", ".gitlab-ci.yml", "  script:\n    - git clone https://oauth2:glpat-ZWzwDFrlGXl_z1BVXBt7@gitlab.com/acme/infra.git\n",
     "glpat-ZWzwDFrlGXl_z1BVXBt7", NULL},
    {"gitlab-pat", ".gitlab-ci.yml", "    - git clone https://oauth2:glpat-ZWzwDFrlGXl_z1BV@gitlab.com/acme/infra.git\n", NULL, NULL},
    {"gitlab-runner-token", "config.toml", "  token = \"glrt-wRkl8OZfIa2AUk7z7gTq\"\n", "glrt-wRkl8OZfIa2AUk7z7gTq", NULL},
    {"gitlab-runner-token", "config.toml", "  token = \"glrt-wRkl8OZfIa2A\"\n", NULL, NULL},
    {"gitlab-deploy-token", "values.yaml", "registryPassword: gldt-Bu4wweocv81k2lsNaWQr\n", "gldt-Bu4wweocv81k2lsNaWQr", NULL},
    {"gitlab-deploy-token", "values.yaml", "registryPassword: gldt-Bu4wweocv81k\n", NULL, NULL},
    {"gitlab-trigger-token", "trigger.sh",
     "curl -X POST -F token=glptt-c616e8c4bf144d3334955d46af783b52901a6cca -F ref=main https://gitlab.example/api/v4/projects/9/trigger/pipeline\n",
     "glptt-c616e8c4bf144d3334955d46af783b52901a6cca", NULL},
    {"gitlab-trigger-token", "trigger.sh", "curl -X POST -F token=glptt-c616e8c4bf144d3334955d46af783b52901a6cc -F ref=main\n",
     NULL, NULL},
    {"gitlab-oauth-secret", "omniauth.rb", "  secret: '" GLOAS "'\n", GLOAS, NULL},
    {"gitlab-oauth-secret", "omniauth.rb", "  secret: 'gloas-ccdb251bce79793a67c9e2ed829af48d9d59ce6ca6b0b9658d7dbc036095e68'\n",
     NULL, NULL},
    {"bitbucket-app-password", "bitbucket-pipelines.yml",
     "          - git push https://ci-bot:ATBBDJHONXO1WMXsmVbgZteLc9dAtxJO8TLK@bitbucket.org/acme/app.git\n",
     "ATBBDJHONXO1WMXsmVbgZteLc9dAtxJO8TLK", NULL},
    {"bitbucket-app-password", "bitbucket-pipelines.yml", "          - git push https://ci-bot:ATBBDJHONXO1WMXsmVbgZte@bitbucket.org/acme/app.git\n",
     NULL, NULL},
    {"bitbucket-access-token", ".env", "BITBUCKET_TOKEN=" ATCTT "\n", ATCTT, NULL},
    {"bitbucket-access-token", ".env", "BITBUCKET_TOKEN=ATCTT3xFfGN0LymYZwH6Qqq5X1wUGAJ7Wx98vjE6boQ\n", NULL, NULL},
    {"gitee-token", "sync.sh", "git push https://oauth2:7dc278aaf6301d1a619588096b35bc49@gitee.com/acme/mirror.git\n",
     "7dc278aaf6301d1a619588096b35bc49", NULL},
    {"gitee-token", "config.py", "GITEE_TOKEN = '7dc278aaf6301d1a619588096b35bc49'\n", "7dc278aaf6301d1a619588096b35bc49", NULL},
    {"gitee-token", "config.py", "GITEE_COMMIT = '7dc278aaf6301d1a619588096b35bc49aa12bb34'\n", NULL, NULL},
    {"azure-devops-pat", "azure-pipelines.yml", "  AZURE_DEVOPS_EXT_PAT: HqmCd89bwojMf13ybw8u4ypIjXebblnovNqW8ePaBhQBfS2UxFBJx7Kq2mWvN9pLr3TdYs8Gh5FcAZDO4yXJ\n",
     "HqmCd89bwojMf13ybw8u4ypIjXebblnovNqW8ePaBhQBfS2UxFBJx7Kq2mWvN9pLr3TdYs8Gh5FcAZDO4yXJ", NULL},
    {"azure-devops-pat", "nuget.config", "<add key=\"ClearTextPassword\" value=\"x\" /> <!-- azure_devops_pat = quwhrpecorugrtpn44bqeyhbs743upgszner57vfbdfi2m3bbhun -->\n",
     "quwhrpecorugrtpn44bqeyhbs743upgszner57vfbdfi2m3bbhun", NULL},
    {"azure-devops-pat", "notes.txt", "devops_pat = quwhrpecorugrtpn44bqeyhbs743upgszner57vfbdfi2m3bbhu1\n", NULL, NULL},
    {"sourcegraph-token", ".env", "SRC_ACCESS_TOKEN=sgp_nQOgaB184sl1i0XS_95d395dc32898583128fc49f69e885e946a47b27\n",
     "sgp_nQOgaB184sl1i0XS_95d395dc32898583128fc49f69e885e946a47b27", NULL},
    {"sourcegraph-token", ".env", "SRC_ACCESS_TOKEN=sgp_nQOgaB184sl1i0XS_95d395dc32898583128fc49f69e885e946a47b2\n", NULL, NULL},
    {"npm-token", ".npmrc", "//registry.npmjs.org/:_authToken=npm_JBYjKavUYUzLYfaBfBDgfam37fXptmhjUqTt\n",
     "npm_JBYjKavUYUzLYfaBfBDgfam37fXptmhjUqTt", NULL},
    {"npm-token", ".npmrc", "//registry.npmjs.org/:_authToken=npm_JBYjKavUYUzLYfaBfBDgfam37fXptmhjUqT\n", NULL, NULL},
    {"npmrc-auth-token", ".npmrc", "//registry.npmjs.org/:_authToken=ad363cde-8e12-4c90-9382-80752c58fdf2\n",
     "ad363cde-8e12-4c90-9382-80752c58fdf2", NULL},
    {"npmrc-auth-token", ".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", NULL, NULL},
    {"pypi-token", ".pypirc", "[pypi]\n  username = __token__\n  password = " PYPI "\n", PYPI, NULL},
    {"pypi-token", ".pypirc", "  password = pypi-AgEIcHlwaS5vcmcyloPdBMZQf4G9SBSqfPD\n", NULL, NULL},
    {"dockerhub-token", "Jenkinsfile", "sh 'echo dckr_pat_MGPYTZuHVvat77J9OwPsgZt7BpY | docker login -u acme --password-stdin'\n",
     "dckr_pat_MGPYTZuHVvat77J9OwPsgZt7BpY", NULL},
    {"dockerhub-token", "Jenkinsfile", "sh 'echo dckr_pat_MGPYTZuHVvat77J9Ow | docker login -u acme --password-stdin'\n", NULL, NULL},
    {"rubygems-api-key", ".gem/credentials", "---\n:rubygems_api_key: rubygems_adaa62277c57d7a25112fc68ea05dda854fb4fee5ef9ee3f\n",
     "rubygems_adaa62277c57d7a25112fc68ea05dda854fb4fee5ef9ee3f", NULL},
    {"rubygems-api-key", ".gem/credentials", ":rubygems_api_key: rubygems_adaa62277c57d7a25112fc68ea05dda854fb4fee5ef9ee3\n",
     NULL, NULL},
    {"nuget-api-key", "publish.ps1", "dotnet nuget push *.nupkg --api-key oy2c3mhw5ay1udmih918ahimioqbwdcmcmonn7al3q4wxw --source nuget.org\n",
     "oy2c3mhw5ay1udmih918ahimioqbwdcmcmonn7al3q4wxw", NULL},
    {"nuget-api-key", "publish.ps1", "dotnet nuget push *.nupkg --api-key oy2c3mhw5ay1udmih918ahimioqbwdcmcmonn7al3q4wx --source nuget.org\n",
     NULL, NULL},
    {"jfrog-token", "gradle.properties", "artifactory_password=" JFROG "\n", JFROG, NULL},
    {"jfrog-token", "gradle.properties", "artifactory_password=AKCp65vpsbPCgkL9c0374nZ3z6ZsX01xvlTREvPtYPEPFaEbqIMfvg7b8BT77xS67Talxwx\n",
     NULL, NULL},
    {"crates-io-token", ".cargo/credentials.toml", "[registry]\ntoken = \"cioRr9u6V5877qykM0oQt169IffQEeYfRmh\"\n",
     "cioRr9u6V5877qykM0oQt169IffQEeYfRmh", NULL},
    {"crates-io-token", "words.txt", "the Italian word is precioso, see cioRr9u6V5877qykM0oQt169IffQEeYfRmhX\n", NULL, NULL},
    {"clojars-token", "project.clj", ":deploy-repositories [[\"clojars\" {:username \"acme\" :password \"" CLOJARS "\"}]]\n",
     CLOJARS, NULL},
    {"clojars-token", "project.clj", ":password \"CLOJARS_wyuopdi9q9zkavumyr5lkbdjctw4jdiswqpupdpq1hf9lamu5yxion163r0\"\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
