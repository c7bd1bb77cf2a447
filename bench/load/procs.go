package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// children are the processes this program started (servers, nginx); cleanup
// stops each of them by its own id, and only them.
var children struct {
	sync.Mutex
	procs []*child
}

type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
	stop syscall.Signal // the signal that asks it to stop gracefully
}

// start runs name with args in a process group of its own (so a Ctrl-C on
// the terminal reaches this program, which then stops it in order), with its
// output in logPath.
func start(name string, stopSig syscall.Signal, logPath string, bin string, args ...string) (*child, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	c := &child{name: name, cmd: cmd, done: make(chan struct{}), stop: stopSig}
	go func() {
		c.err = cmd.Wait()
		logf.Close()
		close(c.done)
	}()
	children.Lock()
	children.procs = append(children.procs, c)
	children.Unlock()
	return c, nil
}

func (c *child) pid() int { return c.cmd.Process.Pid }

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// terminate asks the process to stop, and kills its process group if it has
// not within grace.
func (c *child) terminate(grace time.Duration) {
	if c.exited() {
		return
	}
	c.cmd.Process.Signal(c.stop)
	select {
	case <-c.done:
	case <-time.After(grace):
		// Its own group, made by start, whose leader is still alive (so the
		// id is still its): nginx's workers go with the master.
		syscall.Kill(-c.pid(), syscall.SIGKILL)
		<-c.done
	}
}

// stopAll stops every child still running, newest first.
func stopAll() {
	children.Lock()
	procs := append([]*child(nil), children.procs...)
	children.Unlock()
	for i := len(procs) - 1; i >= 0; i-- {
		procs[i].terminate(5 * time.Second)
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// borderline is a running bin/borderline serve, with its memory sampled.
type borderline struct {
	*child
	base string
	rss  *rssSampler
}

func startBorderline(ctx context.Context, bin, db, logPath string) (*borderline, time.Time, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, time.Time{}, err
	}
	t0 := time.Now()
	c, err := start("borderline "+filepath.Base(db), syscall.SIGTERM, logPath, bin, "serve", "--db", db, "--addr", addr, "--log-level", "info")
	if err != nil {
		return nil, t0, err
	}
	b := &borderline{child: c, base: "http://" + addr, rss: newRSSSampler(c.pid(), 200*time.Millisecond)}
	return b, t0, nil
}

// waitHealthy polls /healthz until it answers 200.
func waitHealthy(ctx context.Context, c *child, base string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	client := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		if c != nil && c.exited() {
			return fmt.Errorf("%s exited: %v", c.name, c.err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer /healthz within %s", base, timeout)
}

// rssSampler reads RssAnon from /proc/PID/status every interval and keeps
// the maximum overall and since the last mark.
type rssSampler struct {
	pid      int
	max      atomic.Int64 // kB
	window   atomic.Int64 // kB, since mark
	stopOnce sync.Once
	quit     chan struct{}
	// limitKB, when set, makes onLimit run once when a sample exceeds it.
	limitKB atomic.Int64
	onLimit atomic.Value // func()
}

func newRSSSampler(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{pid: pid, quit: make(chan struct{})}
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if kb, err := rssAnonKB(s.pid); err == nil {
				updateMax(&s.max, kb)
				updateMax(&s.window, kb)
				if lim := s.limitKB.Load(); lim > 0 && kb > lim {
					if f, ok := s.onLimit.Load().(func()); ok && f != nil {
						s.onLimit.Store(func() {})
						f()
					}
				}
			}
			select {
			case <-s.quit:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func updateMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// mark starts a new window and returns the maximum of the one before.
func (s *rssSampler) mark() int64 {
	if s == nil {
		return 0
	}
	kb, _ := rssAnonKB(s.pid)
	return s.window.Swap(kb)
}

func (s *rssSampler) stop() {
	if s != nil {
		s.stopOnce.Do(func() { close(s.quit) })
	}
}

func rssAnonKB(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return parseRSSAnon(bufio.NewScanner(f))
}

func parseRSSAnon(sc *bufio.Scanner) (int64, error) {
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "RssAnon:"); ok {
			f := strings.Fields(v)
			if len(f) < 1 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, errors.New("no RssAnon in status")
}

// nginxConf is Debian's nginx on loopback with everything in dir: the same
// bytes as the server under test, precompressed ones beside them.
func nginxConf(dir, docroot, addr string, workers int) string {
	w := "auto"
	if workers > 0 {
		w = strconv.Itoa(workers)
	}
	return fmt.Sprintf(`# Generated by bench/load for one run.
worker_processes %[4]s;
daemon off;
master_process on;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 4096; }
http {
	include /etc/nginx/mime.types;
	types { application/json json; application/geo+json geojson; }
	default_type application/octet-stream;
	# Borderline logs only failures; logging every request here would not
	# be the same work.
	access_log off;
	sendfile on;
	tcp_nopush on;
	tcp_nodelay on;
	keepalive_timeout 65;
	keepalive_requests 1000000;
	gzip off;
	gzip_static on;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	server {
		listen %[3]s;
		root %[2]s;
		location / { try_files $uri =404; }
	}
}
`, dir, docroot, addr, w)
}

func startNginx(ctx context.Context, nginxBin, dir, docroot string, workers int) (*child, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConf(dir, docroot, addr, workers)), 0o644); err != nil {
		return nil, "", err
	}
	c, err := start("nginx", syscall.SIGTERM, filepath.Join(dir, "nginx.out"), nginxBin, "-p", dir, "-c", conf, "-e", filepath.Join(dir, "error.log"))
	if err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			return c, base, nil
		}
		if c.exited() || time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			out, _ := os.ReadFile(filepath.Join(dir, "nginx.out"))
			return nil, "", fmt.Errorf("nginx did not start: %s%s", out, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cpuSample is the machine's busy CPU time and the part of it spent by this
// program and everything it started, in clock ticks.
type cpuSample struct {
	at          time.Time
	busy, total int64 // all CPUs, from /proc/stat
	ours        int64
}

// takeCPU reads /proc: the machine's counters, and the user and system time
// of this process, its children still running (servers, nginx's workers,
// wrk) and the children it has waited for.
func takeCPU() (cpuSample, error) {
	s := cpuSample{at: time.Now()}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s, err
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return s, errors.New("unexpected /proc/stat")
	}
	for i, v := range f[1:] {
		n, _ := strconv.ParseInt(v, 10, 64)
		if i == 8 || i == 9 { // guest time is counted in user already
			continue
		}
		s.total += n
		if i != 3 && i != 4 { // idle, iowait
			s.busy += n
		}
	}
	self := os.Getpid()
	parent := map[int]int{}
	times := map[int]int64{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// The name is in parentheses and may hold spaces: fields after it.
		i := bytes.LastIndexByte(st, ')')
		if i < 0 {
			continue
		}
		rest := strings.Fields(string(st[i+1:]))
		if len(rest) < 15 {
			continue
		}
		ppid, _ := strconv.Atoi(rest[1])
		ut, _ := strconv.ParseInt(rest[11], 10, 64)
		stime, _ := strconv.ParseInt(rest[12], 10, 64)
		parent[pid] = ppid
		times[pid] = ut + stime
		if pid == self {
			cut, _ := strconv.ParseInt(rest[13], 10, 64)
			cst, _ := strconv.ParseInt(rest[14], 10, 64)
			times[pid] += cut + cst
		}
	}
	for pid, t := range times {
		for p, hops := pid, 0; p > 1 && hops < 64; p, hops = parent[p], hops+1 {
			if p == self {
				s.ours += t
				break
			}
		}
	}
	return s, nil
}

// othersShare is the share of the machine's capacity between a and b spent
// by processes this program did not start: other people's work on a shared
// machine, which the ratios of that interval cannot be trusted beyond.
func othersShare(a, b cpuSample) float64 {
	total := b.total - a.total
	if total <= 0 {
		return 0
	}
	others := (b.busy - a.busy) - (b.ours - a.ours)
	return max(0, float64(others)/float64(total))
}

// dropFromCache asks the kernel to forget the cached pages of the files
// (those that exist), as a reboot would: the next start reads them from disk.
func dropFromCache(paths ...string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("drop from cache: %w", err)
		}
		err = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
		f.Close()
		if err != nil {
			return fmt.Errorf("drop %s from cache: %w", p, err)
		}
	}
	return nil
}
