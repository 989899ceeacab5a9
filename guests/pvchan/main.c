/*
 * pvchan: two VMs exchange messages over a Vireo channel, with doorbells.
 *
 * One binary for every VM of tests/integration/configs/channel.dts; each
 * learns its part from CHANNEL_INFO(0):
 *   - end 0 sends "ping N" and waits for "pong N", for ROUNDS rounds;
 *   - end 1 waits for "ping N" and answers "pong N";
 *   - a VM the channel does not name gets DENIED (-3) and shows that it
 *     is refused: CHANNEL_INFO, DOORBELL (also with the channel id in the
 *     upper half of x1, which an SMC32 call ignores), and a read of the
 *     channel's memory, which is not mapped in it (a data abort).
 * Each message goes through guests/common/vireo_pv.h's mailbox protocol:
 * written to the channel's memory, then the doorbell rung; the receiver
 * waits for the doorbell, an SPI routed to itself, and prints
 * `pvchan: got "..."`. At the end, end 0 rings once more until the
 * doorbell is refused because end 1 has powered off. Every VM powers off.
 */
#include "guest.h"
#include "vireo_pv.h"

#define ROUNDS 5
#define CHANNEL 0

static int problems;

static void note(const char *what, int64_t got, int64_t want)
{
	printf("pvchan: %s = %ld%s\n", what, got, got == want ? "" : " (UNEXPECTED)");
	if (got != want) {
		problems++;
	}
}

/* --- the outsider ------------------------------------------------------------- */

void guest_exception(struct guest_frame *f, int vector)
{
	if (!guest_skip_abort(f, vector)) {
		guest_unhandled(f, vector);
	}
}

static void outsider(void)
{
	uint64_t ipa = 0x09400000UL; /* channel 0's IPA, in the VMs it names */
	uint32_t v;

	printf("pvchan: not an end of channel %d\n", CHANNEL);
	note("channel_info(0)", vireo_channel_info(CHANNEL, 0), VIREO_DENIED);
	note("doorbell(0)", vireo_doorbell(CHANNEL), VIREO_DENIED);
	note("doorbell(0x100000000)",
	     (int64_t)vireo_smccc(VIREO_FN_DOORBELL, 1UL << 32 | CHANNEL, 0, 0).a0, VIREO_DENIED);
	note("channel_info(1)", vireo_channel_info(1, 0), VIREO_INVALID_PARAMETERS);
	v = guest_peek32(ipa);
	printf("pvchan: read of 0x%lx: %s\n", ipa,
	       guest_aborts == 1 && guest_abort_far == ipa ? "data abort, not mapped here"
							    : "NOT REFUSED");
	if (guest_aborts != 1 || v != 0xdead) {
		problems++;
	}
	printf("pvchan: outsider: %s\n", problems ? "FAIL" : "refused");
}

/* --- the two ends ------------------------------------------------------------------ */

static int doorbells;

static void send(const struct vireo_channel *ch, const char *word, int n)
{
	char msg[16];
	unsigned len = 0;
	int64_t r;

	for (const char *c = word; *c; c++) {
		msg[len++] = *c;
	}
	msg[len++] = ' ';
	if (n >= 10) {
		msg[len++] = (char)('0' + n / 10);
	}
	msg[len++] = (char)('0' + n % 10);
	r = vireo_msg_send_wait(ch, msg, len);
	if (r != 0) {
		printf("pvchan: send \"%s %d\": error %ld\n", word, n, r);
		problems++;
	}
}

/* Waits for the next message (doorbell by doorbell) and checks it says
 * "word n". */
static void receive(const struct vireo_channel *ch, const char *word, int n)
{
	char msg[64], want[16];
	int64_t len;
	unsigned i = 0;

	while ((len = vireo_msg_recv(ch, msg, sizeof(msg) - 1)) == VIREO_MSG_EMPTY) {
		uint32_t intid = vireo_gic_wait_irq();

		if (intid != ch->intid) {
			printf("pvchan: interrupt %u, not the doorbell\n", intid);
			problems++;
		}
		doorbells++;
	}
	if (len < 0) {
		printf("pvchan: receive: error %ld\n", len);
		problems++;
		return;
	}
	msg[len] = '\0';
	printf("pvchan: got \"%s\"\n", msg);
	for (const char *c = word; *c; c++) {
		want[i++] = *c;
	}
	want[i++] = ' ';
	if (n >= 10) {
		want[i++] = (char)('0' + n / 10);
	}
	want[i++] = (char)('0' + n % 10);
	want[i] = '\0';
	for (i = 0; want[i] && want[i] == msg[i]; i++) {
	}
	if (want[i] || msg[i]) {
		printf("pvchan: expected \"%s\"\n", want);
		problems++;
	}
}

static void end_of_channel(const struct vireo_channel *ch)
{
	int n;

	printf("pvchan: channel %u: ipa 0x%lx size 0x%lx intid %u, end %u\n", ch->id, ch->ipa,
	       ch->size, ch->intid, ch->end);
	note("channel_info(1)", vireo_channel_info(1, 0), VIREO_INVALID_PARAMETERS);
	note("doorbell(1)", vireo_doorbell(1), VIREO_INVALID_PARAMETERS);
	if (vireo_gic_init() != 0) {
		printf("pvchan: no redistributor for this vCPU\n");
		psci_system_off();
	}
	vireo_gic_enable_spi(ch->intid, 0x80, 1);

	for (n = 1; n <= ROUNDS; n++) {
		if (ch->end == 0) {
			send(ch, "ping", n);
			receive(ch, "pong", n);
		} else {
			receive(ch, "ping", n);
			send(ch, "pong", n);
		}
	}
	printf("pvchan: done, %d sent, %d received, %s\n", ROUNDS, ROUNDS,
	       doorbells > 0 ? "woken by doorbells" : "NEVER WOKEN BY A DOORBELL");
	if (doorbells == 0) {
		problems++;
	}
	if (ch->end == 0) {
		/* The other end powers off after its last answer; from then on
		 * its doorbell is refused. */
		uint64_t deadline = read_sysreg(cntvct_el0) + read_sysreg(cntfrq_el0) * 10;
		int64_t r;

		while ((r = vireo_doorbell(ch->id)) == 0 && read_sysreg(cntvct_el0) < deadline) {
			vireo_yield();
		}
		note("doorbell(0) once the other end is off", r, VIREO_DENIED);
	}
	printf("pvchan: %s\n", problems ? "FAIL" : "ok");
}

int main(void)
{
	struct vireo_channel ch;
	int64_t r;

	guest_install_vectors();
	printf("pvchan: start\n");
	if (!vireo_detect()) {
		printf("pvchan: not running on Vireo\n");
		psci_system_off();
	}
	r = vireo_channel_info(CHANNEL, &ch);
	if (r == VIREO_DENIED) {
		outsider();
	} else if (r == VIREO_SUCCESS) {
		end_of_channel(&ch);
	} else {
		printf("pvchan: no channel %d (%ld): nothing to do\n", CHANNEL, r);
	}
	psci_system_off();
}
