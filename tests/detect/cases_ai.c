/* cases_ai — positives and hard negatives of ai.conf (OpenAI, Anthropic, Gemini, DeepSeek,
 * Moonshot, Zhipu, Qianfan, DashScope, Hugging Face, Replicate, Groq, Mistral, Cohere, xAI,
 * Perplexity, OpenRouter), in the files such keys leak from. Made-up keys only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

#define OPENAI_LEGACY "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"
#define OPENAI_PROJ                                                                           \
    "sk-proj-8_HZqJLGgmnvmdCUpbWYiuk-xaP_PWtlhGFQktNjYKqqWp9f7wPtewsgYqvBJQTdJV1tX5heQw"      \
    "T3BlbkFJepFLG8Z-ZuXg8EckArd0UFSPwmQfTIGORHPjNXhgjtOmj4n0iX0R7M-nnoTNjUVurMg3P8m9FY"
#define ANTHROPIC                                                                             \
    "sk-ant-api03-e6ibbzCpOFP5c63IUGE2BGe92Q0Sn1fXkmDffvWOHlwl3aDrOopDBcb-fEB9ezYfV6xe3NjIjyV" \
    "AAtf_sXrYoRZfbW7tLAA"
#define ANTHROPIC_NO_AA                                                                       \
    "sk-ant-api03-e6ibbzCpOFP5c63IUGE2BGe92Q0Sn1fXkmDffvWOHlwl3aDrOopDBcb-fEB9ezYfV6xe3NjIjyV" \
    "AAtf_sXrYoRZfbW7tLAB"
#define XAI "xai-8GCmmGvtUPKfCCBfFgZnUQjaRf7u5KE0k6DBPG02oD3BEGc3O43yfMvvcVNDUCnMyXnNTTlur2Zujqhb"

// clang-format off
const struct rule_case cases_ai[] = {
    {"openai-api-key", ".env", "OPENAI_API_KEY=" OPENAI_PROJ "\n", OPENAI_PROJ, NULL},
    {"openai-api-key", "notebook.ipynb", "    \"openai.api_key = '" OPENAI_LEGACY "'\\n\",\n",
     OPENAI_LEGACY, NULL},
    {"openai-api-key", ".env", "OPENAI_API_KEY=sk-9jYg7SjjPvttfbfMLZuPT3BlbkFIjII4OoaQmzBinnpy3MPN\n", NULL, NULL},
    /* cut short: 15 characters after T3BlbkFJ */
    {"openai-api-key", ".env", "OPENAI_API_KEY=sk-9jYg7SjjPvttfbfMLZuPT3BlbkFJjII4OoaQmzBinnp\n", NULL, NULL},
    {"anthropic-api-key", "app.ts", "const client = new Anthropic({ apiKey: \"" ANTHROPIC "\" });\n",
     ANTHROPIC, NULL},
    {"anthropic-api-key", "app.ts", "const client = new Anthropic({ apiKey: \"" ANTHROPIC_NO_AA "\" });\n",
     NULL, NULL},
    {"gemini-api-key", "Dockerfile", "ENV GEMINI_API_KEY=AIzaMT6RR9ZyxLDLTylkEQLCkwvWjLD_FX3viwW\n",
     "AIzaMT6RR9ZyxLDLTylkEQLCkwvWjLD_FX3viwW", NULL},
    {"gemini-api-key", "chat.sh",
     "curl \"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaMT6RR9ZyxLDLTylkEQLCkwvWjLD_FX3viwW\"\n",
     "AIzaMT6RR9ZyxLDLTylkEQLCkwvWjLD_FX3viwW", NULL},
    {"gemini-api-key", "Dockerfile", "ENV GEMINI_API_KEY=AIzaMT6RR9ZyxLDLTylkEQLCkwvWjLD_FX3viw\n", NULL, NULL},
    {"deepseek-api-key", "bot.py",
     "client = OpenAI(api_key=\"sk-949b4c8f6a82c822b3d6e01be3a78580\", base_url=\"https://api.deepseek.com\")\n",
     "sk-949b4c8f6a82c822b3d6e01be3a78580", NULL},
    {"deepseek-api-key", "config.yaml", "deepseek:\n  api_key: sk-949b4c8f6a82c822b3d6e01be3a7858\n", NULL, NULL},
    {"moonshot-api-key", ".env", "MOONSHOT_API_KEY=sk-K6d0olVj5ky8KmfEP2hBkzVcbvYzZySlXbHxBtBJia5mLgUU\n",
     "sk-K6d0olVj5ky8KmfEP2hBkzVcbvYzZySlXbHxBtBJia5mLgUU", NULL},
    {"moonshot-api-key", ".env", "MOONSHOT_API_KEY=sk-K6d0olVj5ky8KmfEP2hBkzVcbvYzZySlXbHxBtBJia5mLgU\n", NULL, NULL},
    {"zhipu-api-key", "settings.py", "ZHIPUAI_API_KEY = \"94bd5670fdbc9d878734db1ab666dd36.iHOhU3hdjFKUBj45\"\n",
     "94bd5670fdbc9d878734db1ab666dd36.iHOhU3hdjFKUBj45", NULL},
    {"zhipu-api-key", "settings.py", "ZHIPUAI_API_KEY = \"94bd5670fdbc9d878734db1ab666dd36.iHOhU3hdjFKUBj4\"\n",
     NULL, NULL},
    {"qianfan-api-key", "qianfan.js",
     "headers: { Authorization: 'Bearer bce-v3/ALTAK-moVzCw2dwWol5yDCJTsul/af54a4724eae7fe68e67ac9bf18dec0fc201e43f' },\n",
     "bce-v3/ALTAK-moVzCw2dwWol5yDCJTsul/af54a4724eae7fe68e67ac9bf18dec0fc201e43f", NULL},
    {"qianfan-api-key", "qianfan.js", "headers: { Authorization: 'Bearer bce-v3/ALTAK-moVzCw2dwWol5yDCJTsul/af54a4724e' },\n",
     NULL, NULL},
    {"dashscope-api-key", "docker-compose.yml", "    environment:\n      - DASHSCOPE_API_KEY=sk-d7be567202f9675ebfc99a584c97566d\n",
     "sk-d7be567202f9675ebfc99a584c97566d", NULL},
    {"dashscope-api-key", "docker-compose.yml", "      - DASHSCOPE_API_KEY=sk-d7be567202f9675ebfc99a584c9756gd\n", NULL, NULL},
    {"huggingface-token", "train.py", "login(token=\"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\")\n",
     "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", NULL},
    {"huggingface-token", "train.py", "login(token=\"hf_YuftOHNmIIQdDgXloLRKfvkMLmncdunKZ\")\n", NULL, NULL},
    {"replicate-api-token", ".env", "REPLICATE_API_TOKEN=r8_PM2ef2Q87FkQoDLdCwSl7jZQKilCfwAnxqlyu\n",
     "r8_PM2ef2Q87FkQoDLdCwSl7jZQKilCfwAnxqlyu", NULL},
    {"replicate-api-token", ".env", "REPLICATE_API_TOKEN=r8_PM2ef2Q87FkQoDLdCwSl7jZQKilCfwAnxqly\n", NULL, NULL},
    {"groq-api-key", "config.json", "{\"groq\":{\"apiKey\":\"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\"}}",
     "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", NULL},
    {"groq-api-key", "config.json", "{\"groq\":{\"apiKey\":\"gsk_JCaWzbm8Sio6NS4q3xyvwFAThSEIIlgI82u5Q1X5OdXCe6t7At6\"}}",
     NULL, NULL},
    {"mistral-api-key", ".env", "MISTRAL_API_KEY=QfEQ3sRj3y09N2IZgSAOtyPzOFqBCP14\n",
     "QfEQ3sRj3y09N2IZgSAOtyPzOFqBCP14", NULL},
    {"mistral-api-key", "model.py", "mistral_model = \"MistralForCausalLMWithValueHead\"\n", NULL, NULL},
    {"cohere-api-key", "rag.py", "co = cohere.Client(api_key=\"RlqRiWUamoVSrOtwS0J2LcFsQ2y18SqZOmvnfwjV\")\n",
     "RlqRiWUamoVSrOtwS0J2LcFsQ2y18SqZOmvnfwjV", NULL},
    {"cohere-api-key", ".env", "COHERE_API_KEY=RlqRiWUamoVSrOtwS0J2LcFsQ2y18SqZOmvnfwjV\n",
     "RlqRiWUamoVSrOtwS0J2LcFsQ2y18SqZOmvnfwjV", NULL},
    {"cohere-api-key", ".env", "COHERE_API_KEY=RlqRiWUamoVSrOtwS0J2LcFsQ2y18SqZOmvnfwj\n", NULL, NULL},
    {"xai-api-key", "grok.py", "XAI_API_KEY = '" XAI "'\n", XAI, NULL},
    {"xai-api-key", "grok.py", "XAI_API_KEY = 'xai-8GCmmGvtUPKfCCBfFgZnUQjaRf7u5KE0k6DBPG02oD3BEGc3O43yfMvvcVNDUCnMyXnN'\n",
     NULL, NULL},
    {"perplexity-api-key", "search.ts", "const key = \"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\";\n",
     "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", NULL},
    {"perplexity-api-key", "search.ts", "const key = \"pplx-aEGmSS5PgpW2NW8nAnMMlKSJwjSydtWLiBTGiY4piYV6oEg\";\n",
     NULL, NULL},
    {"openrouter-api-key", "config.toml",
     "api_key = \"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\"\n",
     "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", NULL},
    {"openrouter-api-key", "config.toml",
     "api_key = \"sk-or-v1-66c93d963a0904fdb98be17179814fad5235ebc1a1306e659e09bab1d659e3c\"\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
