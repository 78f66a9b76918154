// Command junction-ferretdb runs FerretDB v1 with its SQLite backend as Junction's local
// MongoDB-protocol store. It embeds FerretDB's package so the build needs only the Go module
// proxy; telemetry is off inside the embedded package.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data/ferretdb", "directory for the SQLite files")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fail("bad -log-level", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fail("bad -data", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fail("cannot create data directory", err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + dir + "/",
	})
	if err != nil {
		fail("cannot start FerretDB", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Info("listening", "addr", *listen, "data", dir)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		fail("FerretDB stopped", err)
	}
}

func fail(msg string, err error) {
	fmt.Fprintf(os.Stderr, "junction-ferretdb: %s: %v\n", msg, err)
	os.Exit(1)
}
