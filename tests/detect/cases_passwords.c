/* cases_passwords — database and server passwords with punctuation (issue 13 item 4): each
 * rule of database.conf and server.conf takes the password as its format writes it
 * (percent-encoding in URLs, quoting and escapes in config files and code, no inline
 * comments where the format has none) and reports it decoded. Every format gets the
 * characters # % @ : / ? & ; " ' \ and a space where it allows them, and hard negatives of
 * the same shape (no password, a ${VAR}, a comment). Made-up passwords only. */
#include "config.h"

#include <stddef.h>

#include "cases.h"

// clang-format off
const struct rule_case cases_passwords[] = {
    /* database-url: percent-decoded; raw # ? / @ : & ; up to the last '@' before the host */
    {"database-url", "app.py", "REDIS_URL = \"redis://:pa#ss7Qx@cache.internal:6379/0\"\n", "pa#ss7Qx", "cache.internal"},
    {"database-url", "app.py", "REDIS_URL = \"redis://:Rd%237x%25Q@cache.internal:6379\"\n", "Rd#7x%Q", NULL},
    {"database-url", "app.py", "url = 'postgresql://svc:Pg%408kL%3Am2%2F@10.0.0.5/app'\n", "Pg@8kL:m2/", "10.0.0.5"},
    {"database-url", "app.py", "DB = 'mysql://app:Zq7@pW2xv@db.internal:3306/shop'\n", "Zq7@pW2xv", "db.internal"},
    {"database-url", "app.py", "MONGO = 'mongodb://adm:Mg7:xP2w@mongo.internal/db'\n", "Mg7:xP2w", NULL},
    {"database-url", "app.py", "REDIS = 'redis://:Rd5/mQ8zX@cache.internal:6379/0'\n", "Rd5/mQ8zX", NULL},
    {"database-url", "app.py", "REDIS = 'rediss://:Rd5?mQ8zX@cache.internal:6380'\n", "Rd5?mQ8zX", NULL},
    {"database-url", "app.py", "MQ = 'amqp://svc:Aq7&mK;9x@mq.internal:5672/'\n", "Aq7&mK;9x", NULL},
    {"database-url", "app.py", "DB = 'mysql://app:Zq%22x%27y%5Cz%207@db.internal/shop'\n", "Zq\"x'y\\z 7", NULL},
    {"database-url", "app.py", "DB = 'mysql://app:Zq7pW2xv@db.internal/shop?notify=ops@corp.internal'\n", "Zq7pW2xv", "db.internal"},
    {"database-url", "app.py", "REDIS = 'redis://cache.internal:6379/0'\n", NULL, NULL},
    {"database-url", "app.py", "REDIS = 'redis://:${REDIS_PASSWORD}@cache.internal:6379/0'\n", NULL, NULL},
    {"database-url", "app.py", "DB = 'postgres://db.internal:5432/app?user=ops@corp.internal'\n", NULL, NULL},
    {"database-url", "app.py", "url = 'redis://:%s@%s:%d/0' % (pw, host, port)\n", NULL, NULL},
    /* jdbc-password: SQL Server {braces} (}} is }), percent-decoding for the others */
    {"jdbc-password", "db.properties",
     "url=jdbc:sqlserver://db.internal:1433;databaseName=shop;user=sa;password={Jd8;cK}}3x Z};encrypt=true\n",
     "Jd8;cK}3x Z", NULL},
    {"jdbc-password", "db.properties", "url=jdbc:postgresql://db.internal/shop?user=app&password=Jd%238c%26K3x\n",
     "Jd#8c&K3x", NULL},
    {"jdbc-password", "db.properties", "url=jdbc:sqlserver://db.internal:1433;user=sa;password={${DB_PASS}}\n", NULL, NULL},
    /* spring-datasource-password: a .properties value runs to the end of the line */
    {"spring-datasource-password", "application.properties", "spring.datasource.password=Sp7#rQ2 x;W\\:k\n",
     "Sp7#rQ2 x;W:k", NULL},
    {"spring-datasource-password", "application.properties", "spring.redis.password=Rd%7@x/y?z&q'1\"2\n",
     "Rd%7@x/y?z&q'1\"2", NULL},
    {"spring-datasource-password", "application.properties", "#spring.datasource.password=Sp7rQ2xWk\n", NULL, NULL},
    {"spring-datasource-password", "application.properties", "spring.datasource.password=\n", NULL, NULL},
    /* spring-datasource-password-yaml: "..." escapes, '...' with '', plain up to " #" */
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  datasource:\n    password: \"Yq8\\\"m#W: 3\\\\zKp\"\n", "Yq8\"m#W: 3\\zKp", NULL},
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  redis:\n    password: 'Yq8''m%W@3zKp'\n", "Yq8'm%W@3zKp", NULL},
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  datasource:\n    password: Yq8m#W3&zK;p?/  # prod\n", "Yq8m#W3&zK;p?/", NULL},
    {"spring-datasource-password-yaml", "application.yml",
     "spring:\n  datasource:\n    password: # set by the vault agent\n", NULL, NULL},
    /* django-db-password and php-db-connect: string literals with escapes */
    {"django-db-password", "settings.py", "DATABASES = {'default': {\n    'PASSWORD': 'Dj4\\'ngo#Pw%9x @:/?&;',\n}}\n",
     "Dj4'ngo#Pw%9x @:/?&;", NULL},
    {"django-db-password", "settings.py", "    'PASSWORD': '',  # 'Dj4ngoPw9x'\n", NULL, NULL},
    {"php-db-connect", "db.php", "$c = mysqli_connect(\"localhost\", \"root\", \"Ph9\\\"qL;m2\\\\x\", \"shop\");\n",
     "Ph9\"qL;m2\\x", NULL},
    {"php-db-connect", "db.php", "$c = mysqli_connect('localhost', 'root', getenv('DB_PASS'), 'shop');\n", NULL, NULL},
    /* dotenv-db-password: as python-dotenv reads it */
    {"dotenv-db-password", ".env", "DB_PASSWORD=\"Env5 Qx#9\\\"wT\"\n", "Env5 Qx#9\"wT", NULL},
    {"dotenv-db-password", ".env", "REDIS_PASSWORD='Rd5%x\\'9@z'\n", "Rd5%x'9@z", NULL},
    {"dotenv-db-password", ".env", "DB_PASS=Env5#Qx9:wT/?&;\\ # prod db\n", "Env5#Qx9:wT/?&;\\", NULL},
    {"dotenv-db-password", ".env", "# DB_PASSWORD=Env5Qx9wT\n", NULL, NULL},
    {"dotenv-db-password", ".env", "DB_PASSWORD= # set in the vault\n", NULL, NULL},
    /* redis-requirepass: no inline comments; "..." C escapes, '...' \' */
    {"redis-requirepass", "redis.conf", "requirepass Rq7#xZ%d2pL9\n", "Rq7#xZ%d2pL9", NULL},
    {"redis-requirepass", "redis.conf", "requirepass \"Rq7 \\\"x\\\\Z;2\\x41@:/?&'\"\n", "Rq7 \"x\\Z;2A@:/?&'", NULL},
    {"redis-requirepass", "redis.conf", "masterauth 'Mq7\\'x Z@2\"%'\n", "Mq7'x Z@2\"%", NULL},
    {"redis-requirepass", "redis.conf", "# requirepass Rq7xZ2pL9\n", NULL, NULL},
    {"redis-requirepass", "redis.conf", "requirepass \"${REDIS_PASSWORD}\"\n", NULL, NULL},
    /* redis-cli-password and sshpass-password: shell words */
    {"redis-cli-password", "check.sh", "redis-cli -h 10.0.0.3 -a 'Rc8#v N3;xQ\\' ping\n", "Rc8#v N3;xQ\\", NULL},
    {"redis-cli-password", "check.sh", "redis-cli -h 10.0.0.3 -a Rc8\\&vN3\\;x\\ Q%@ ping\n", "Rc8&vN3;x Q%@", NULL},
    {"redis-cli-password", "check.sh", "redis-cli -a \"Rc8\\\"v%N3@x:/?'Q\" ping\n", "Rc8\"v%N3@x:/?'Q", NULL},
    {"redis-cli-password", "check.sh", "# redis-cli -a \"${REDIS_PASSWORD}\" ping\n", NULL, NULL},
    {"sshpass-password", "deploy.sh", "sshpass -p 'Ss9#h P;x&2q\"\\' ssh root@10.0.0.8 uptime\n", "Ss9#h P;x&2q\"\\", NULL},
    {"sshpass-password", "deploy.sh", "sshpass -p Ss9\\$hP%x2q@:/? ssh root@10.0.0.8\n", "Ss9$hP%x2q@:/?", NULL},
    {"sshpass-password", "deploy.sh", "sshpass -p \"${SSH_PASS}\" ssh root@10.0.0.8\n", NULL, NULL},
    /* ansible-password and ssh-connect-password */
    {"ansible-password", "hosts", "web1 ansible_host=10.0.0.9 ansible_ssh_pass=An5#ible%X9@/?&; ansible_user=root\n",
     "An5#ible%X9@/?&;", NULL},
    {"ansible-password", "group_vars/all.yml", "ansible_become_pass: \"An5\\\"ib le:X9'\"\n", "An5\"ib le:X9'", NULL},
    {"ansible-password", "group_vars/all.yml", "ansible_become_pass: # from the vault\n", NULL, NULL},
    {"ssh-connect-password", "ops.py", "ssh.connect('10.0.0.1', username='root', password='Pk8\\'m#X2 ;qz\\\\\"')\n",
     "Pk8'm#X2 ;qz\\\"", NULL},
    {"ssh-connect-password", "ops.py", "ssh.connect(host, username=user, password=os.environ['SSH_PASS'])\n", NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
// clang-format on
