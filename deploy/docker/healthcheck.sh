#!/bin/bash
# healthcheck.sh PORT PATH: exit 0 when the host on 127.0.0.1:PORT answers PATH with 200. The runtime images carry no
# curl or wget, so this is one HTTP/1.0 request over bash's /dev/tcp.
set -u
exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$2" >&3
IFS= read -r -t 5 status <&3 && [[ $status == HTTP/1.?" 200 "* ]]
