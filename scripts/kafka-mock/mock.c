/*
 * A Kafka-protocol cluster on loopback for the services tier: librdkafka's
 * mock cluster (real TCP sockets, the Kafka wire protocol) kept alive until
 * SIGTERM/SIGINT.
 *
 *   kafka-mock [-b BROKERS] [TOPIC[:PARTITIONS]]...
 *
 * Prints "bootstraps HOST:PORT,..." on stdout once it listens. Then reads
 * commands on stdin, one a line, and answers "ok ..." or "error ..." on stdout:
 *   down ID|-1                         the broker closes its connections and refuses new ones
 *   up ID|-1                           it accepts connections again
 *   rtt ID|-1 MS                       it answers every request MS milliseconds late
 *   errors APIKEY CNT CODE             the next CNT requests of APIKEY (0 = Produce) fail with CODE
 * End of stdin (a background run with </dev/null) leaves the cluster running.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

static volatile sig_atomic_t stopping = 0;

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static void command(rd_kafka_mock_cluster_t *mc, char *line) {
  char verb[32];
  long a = 0, b = 0, c = 0;
  int n = sscanf(line, "%31s %ld %ld %ld", verb, &a, &b, &c);
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (n >= 2 && strcmp(verb, "down") == 0) {
    err = rd_kafka_mock_broker_set_down(mc, (int32_t)a);
  } else if (n >= 2 && strcmp(verb, "up") == 0) {
    err = rd_kafka_mock_broker_set_up(mc, (int32_t)a);
  } else if (n >= 3 && strcmp(verb, "rtt") == 0 && b >= 0) {
    err = rd_kafka_mock_broker_set_rtt(mc, (int32_t)a, (int)b);
  } else if (n == 4 && strcmp(verb, "errors") == 0 && b > 0 && b <= 1000) {
    rd_kafka_resp_err_t *codes = calloc((size_t)b, sizeof(*codes));
    for (long i = 0; i < b; i++) codes[i] = (rd_kafka_resp_err_t)c;
    rd_kafka_mock_push_request_errors_array(mc, (int16_t)a, (size_t)b, codes);
    free(codes);
  } else {
    printf("error unknown command: %s", line);
    fflush(stdout);
    return;
  }
  if (err) printf("error %s: %s\n", verb, rd_kafka_err2str(err));
  else printf("ok %s", line);
  fflush(stdout);
}

int main(int argc, char **argv) {
  int brokers = 3;
  int opt;
  while ((opt = getopt(argc, argv, "b:")) != -1) {
    if (opt == 'b') brokers = atoi(optarg);
    else {
      fprintf(stderr, "usage: %s [-b BROKERS] [TOPIC[:PARTITIONS]]...\n", argv[0]);
      return 2;
    }
  }
  if (brokers < 1 || brokers > 9) {
    fprintf(stderr, "kafka-mock: -b must be 1 to 9\n");
    return 2;
  }

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  // The handle only owns the mock cluster: it never connects anywhere.
  rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof(errstr));
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
  if (!rk) {
    fprintf(stderr, "kafka-mock: rd_kafka_new: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers);
  if (!mc) {
    fprintf(stderr, "kafka-mock: rd_kafka_mock_cluster_new failed\n");
    return 1;
  }

  for (int i = optind; i < argc; i++) {
    char topic[256];
    int partitions = 4;
    char *colon = strchr(argv[i], ':');
    size_t len = colon ? (size_t)(colon - argv[i]) : strlen(argv[i]);
    if (len == 0 || len >= sizeof(topic)) {
      fprintf(stderr, "kafka-mock: bad topic '%s'\n", argv[i]);
      return 2;
    }
    memcpy(topic, argv[i], len);
    topic[len] = '\0';
    if (colon) partitions = atoi(colon + 1);
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, topic, partitions, brokers < 3 ? brokers : 3);
    if (err) {
      fprintf(stderr, "kafka-mock: topic %s: %s\n", topic, rd_kafka_err2str(err));
      return 1;
    }
  }

  // No SA_RESTART: a signal interrupts the blocking read of stdin.
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("bootstraps %s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[256];
  while (!stopping) {
    if (fgets(line, sizeof(line), stdin) != NULL) {
      command(mc, line);
      continue;
    }
    if (ferror(stdin) && errno == EINTR) {
      clearerr(stdin);
      continue;
    }
    while (!stopping) pause(); // stdin closed: serve until a signal
  }

  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
