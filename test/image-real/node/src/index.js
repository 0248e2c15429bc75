console.log(`hello from node ${process.version} as uid ${process.getuid()} (NODE_ENV=${process.env.NODE_ENV})`);
