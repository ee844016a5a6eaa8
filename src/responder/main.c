// SPDX-License-Identifier: GPL-2.0-or-later
/* podnet-responder: the per-domain DHCP responder that the hook starts.
 * `podnet-responder --responder UUID`, ready pipe on fd 3, lock on fd 4. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "responder.h"
#include "ready_pipe.h"

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], READY_PIPE_RESPONDER_ARG) != 0) {
		fprintf(stderr,
			"podnet-responder: started only by the podnet "
			"hook, as `%s UUID`\n",
			READY_PIPE_RESPONDER_ARG);
		return 2;
	}
	/*
	 * _exit: inside its sandbox the responder has no exit work to do, and
	 * LeakSanitizer's exit-time stop-the-world cannot run there (test
	 * builds).
	 */
	_exit(responder_main(argv[2], READY_PIPE_FD));
}
