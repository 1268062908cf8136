console.log('The example pipeline arrives with the CLI issue (#6).');
